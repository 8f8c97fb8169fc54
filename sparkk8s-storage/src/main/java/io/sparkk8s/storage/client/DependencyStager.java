package io.sparkk8s.storage.client;

import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.client.internal.Failures;
import io.sparkk8s.storage.client.internal.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Uploads a job's local files to a backend and rewrites the job to their remote URIs: the job of
 * Spark's old resource staging server, done by the client. Files go under a content-addressed
 * path, {@code <directory>/sha256/<digest>/<file name>}, so a file already staged (same content)
 * is not uploaded again, two versions of {@code etl.jar} never overwrite each other, and a job
 * always runs the bytes it was staged with. The file name is kept: Spark uses it for {@code
 * --files} and Python imports.
 *
 * <pre>{@code
 * StorageAccess access = StorageAccess.of(GcsStorage.of("team-bucket"),
 *     StorageCredentials.gcsServiceAccountKey(Path.of("key.json")));
 * SparkJob job = DependencyStager.to(access).withListener(progressBar)
 *     .stage(SparkJob.builder().name("etl").namespace("spark"),
 *         JobFiles.jvm("com.example.Etl", "target/etl.jar").withJars("lib/postgres.jar"));
 * }</pre>
 *
 * <p>Uploads never leave a partial file under the final name (Hadoop stores write a temporary
 * name and rename; Cloud Storage and S3 objects appear only when complete).
 */
public final class DependencyStager {
  /** The directory used when none is given, relative to the backend's root. */
  public static final String DEFAULT_DIRECTORY = "sparkk8s-deps";
  /** Files of at least this size (8 MiB) report {@link StagingListener#progress progress}. */
  public static final long PROGRESS_THRESHOLD = 8L << 20;

  private final StorageAccess access;
  private final String directory;
  private final StagingListener listener;

  private DependencyStager(StorageAccess access, String directory, StagingListener listener) {
    this.access = Objects.requireNonNull(access, "access");
    this.directory = directory;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A stager to {@value #DEFAULT_DIRECTORY} under {@code access}'s backend root. */
  public static DependencyStager to(StorageAccess access) {
    return new DependencyStager(access, DEFAULT_DIRECTORY, new StagingListener() {});
  }

  /** A copy staging under {@code directory}, relative to the backend's root. */
  public DependencyStager withDirectory(String directory) {
    if (directory.startsWith("/") || directory.contains("..")) {
      throw new IllegalArgumentException("directory " + directory
          + " must be a relative path without '..'");
    }
    return new DependencyStager(access, directory, listener);
  }

  /** A copy reporting to {@code listener}. */
  public DependencyStager withListener(StagingListener listener) {
    return new DependencyStager(access, directory, listener);
  }

  /**
   * Stages every local file of {@code files}, sets the application, jars, files and Python files
   * of {@code job} to their remote URIs (remote ones as they were; jars and files are added to
   * those already in the builder), and builds the job.
   *
   * @throws IllegalArgumentException naming the field and path of a local file that does not exist
   *     or cannot be read
   * @throws StorageException naming backend, location and cause when an upload fails
   * @throws io.sparkk8s.InvalidDescriptionException when the job is invalid
   */
  public SparkJob stage(SparkJob.Builder job, JobFiles files) {
    String resource = stageUri("resource", files.resource());
    List<String> pyFiles = stageAll("pyFiles", files.pyFiles());
    Application app = files.kind() == Application.Kind.JVM
        ? Application.jvm(files.mainClass().orElseThrow(), resource)
        : Application.python(resource).withPyFiles(pyFiles);
    return job.application(app)
        .addAllJars(stageAll("jars", files.jars()))
        .addAllFiles(stageAll("files", files.files()))
        .build();
  }

  /**
   * The job URI of {@code pathOrUri}: staged when it is local (a plain path or {@code file:}),
   * unchanged when remote.
   */
  public String stageUri(String pathOrUri) {
    return stageUri("file", pathOrUri);
  }

  /**
   * Stages one local file, or finds it already staged.
   *
   * @throws IllegalArgumentException when {@code file} does not exist or is not a regular file
   * @throws StorageException when the upload fails
   */
  public StagedFile stage(Path file) {
    return stage("file", file);
  }

  private List<String> stageAll(String field, List<String> uris) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      out.add(stageUri(field + "[" + i + "]", uris.get(i)));
    }
    return out;
  }

  private String stageUri(String field, String pathOrUri) {
    Path local = localPath(pathOrUri);
    return local == null ? pathOrUri : stage(field, local).jobUri();
  }

  /** The local path a string names, or null when it is a remote URI. */
  static Path localPath(String pathOrUri) {
    int colon = pathOrUri.indexOf(':');
    int slash = pathOrUri.indexOf('/');
    boolean hasScheme = colon > 1 && (slash < 0 || colon < slash);
    if (!hasScheme) {
      return Path.of(pathOrUri);
    }
    URI uri = URI.create(pathOrUri);
    return uri.getScheme().toLowerCase(Locale.ROOT).equals("file") ? Path.of(uri) : null;
  }

  private StagedFile stage(String field, Path file) {
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("cannot stage " + field + " " + file + ": "
          + (Files.exists(path) ? "not a readable regular file" : "no such file"));
    }
    String digest;
    long size;
    try {
      size = Files.size(path);
      digest = sha256(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot stage " + field + " " + file + ": " + e, e);
    }
    String relative = directory + "/sha256/" + digest + "/" + path.getFileName();
    String uri = access.backend().resolve(relative);
    String here = access.clientUri(uri);
    boolean uploaded;
    try (Store store = access.openStore()) {
      Store.Entry existing = store.stat(here);
      if (existing != null && !existing.directory() && existing.length() == size) {
        listener.skipped(path, uri);
        uploaded = false;
      } else {
        listener.started(path, uri, size);
        long step = Math.max(1, size / 100);
        long[] reported = {0};
        store.upload(path, here, sent -> {
          if (size >= PROGRESS_THRESHOLD && (sent - reported[0] >= step || sent == size)) {
            reported[0] = sent;
            listener.progress(path, sent, size);
          }
        });
        listener.finished(path, uri, size);
        uploaded = true;
      }
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(access.backend().name(), uri, e);
    }
    return StagedFile.builder().localPath(path).sha256(digest).size(size).uri(uri)
        .jobUri(access.backend().jobUri(relative)).uploaded(uploaded).build();
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
