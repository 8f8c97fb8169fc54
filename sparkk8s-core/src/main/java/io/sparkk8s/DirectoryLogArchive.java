package io.sparkk8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * Logs under a directory, as {@code <root>/<namespace>/<driverPodName>/<appId>.log}: one file per
 * driver, created as needed, each written to a temporary file first and moved in place, readable
 * by all (as the volume's other users, such as a pod reading the claim under another uid, need).
 *
 * <pre>{@code
 * SparkKubernetes spark = SparkKubernetes.builder()
 *     .driverLogArchive(DirectoryLogArchive.at(Path.of("/var/log/spark-drivers")))
 *     .connect();
 * }</pre>
 */
public final class DirectoryLogArchive implements LogArchive {
  private final Path root;

  private DirectoryLogArchive(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** An archive under {@code root} (relative to the working directory when not absolute). */
  public static DirectoryLogArchive at(Path root) {
    return new DirectoryLogArchive(root);
  }

  private Path file(Key key) {
    Path file = root.resolve(key.relativePath()).normalize();
    if (!file.startsWith(root)) { // the key's rule makes this impossible; kept as a guard
      throw new IllegalArgumentException("log path " + file + " is outside " + root);
    }
    return file;
  }

  @Override
  public void write(Key key, InputStream log) throws IOException {
    Path file = file(key);
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".writing-", ".log");
    try {
      Files.copy(log, tmp, StandardCopyOption.REPLACE_EXISTING);
      // A temporary file is the owner's alone; a log is readable by the volume's other users (a
      // pod reading the claim under another uid), as the pod's log was to anyone with pods/log.
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public boolean contains(Key key) {
    return Files.isRegularFile(file(key));
  }

  @Override
  public Optional<InputStream> open(Key key) throws IOException {
    try {
      return Optional.of(Files.newInputStream(file(key)));
    } catch (NoSuchFileException none) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "DirectoryLogArchive.at(" + root + ")";
  }
}
