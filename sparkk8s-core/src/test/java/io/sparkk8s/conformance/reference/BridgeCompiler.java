package io.sparkk8s.conformance.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the bridge ({@code src/test/spark-oracle/bridge}) against one Spark version's jars into
 * {@code target/spark-oracle/bridge-<version>/}, once: the output is reused while the sources, the
 * classpath and the JDK are unchanged.
 */
final class BridgeCompiler {

  private static final String FINGERPRINT = "bridge.fingerprint";

  private BridgeCompiler() {}

  static Path compile(OracleLayout layout, String sparkVersion, List<Path> sparkJars) {
    Path output = layout.oracleDir().resolve("bridge-" + sparkVersion);
    String fingerprint = fingerprint(layout, sparkJars);
    Path stamp = output.resolve(FINGERPRINT);
    if (Files.isRegularFile(stamp) && OracleLayout.read(stamp).equals(fingerprint)) {
      return output;
    }
    try {
      Files.createDirectories(layout.oracleDir());
      Path fresh = Files.createTempDirectory(layout.oracleDir(), "bridge-" + sparkVersion + "-");
      javac(layout, sparkJars, fresh);
      for (Path file : layout.bridgeFiles()) {
        if (!file.toString().endsWith(".java")) {
          Path target = fresh.resolve(layout.bridgeSourceDir().relativize(file));
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
      Files.writeString(fresh.resolve(FINGERPRINT), fingerprint, StandardCharsets.UTF_8);
      deleteRecursively(output);
      try {
        Files.move(fresh, output, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(fresh, output);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another JVM compiled it meanwhile; its output is as good as ours.
        deleteRecursively(fresh);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void javac(OracleLayout layout, List<Path> sparkJars, Path output)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("the Spark reference compiles its bridge at test time and "
          + "needs a JDK, not a JRE: java.home=" + System.getProperty("java.home"));
    }
    List<Path> sources = layout.bridgeFiles().stream()
        .filter(f -> f.toString().endsWith(".java"))
        .toList();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(
        diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of(
          "--release", "17", "-proc:none", "-nowarn", "-encoding", "UTF-8",
          "-d", output.toString(),
          "-classpath", sparkJars.stream().map(Path::toString)
              .collect(Collectors.joining(java.io.File.pathSeparator))));
      boolean ok = javac.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(sources)).call();
      if (!ok) {
        throw new IllegalStateException("the Spark reference bridge does not compile against "
            + output.getFileName() + ":\n" + diagnostics.getDiagnostics().stream()
                .map(Object::toString).collect(Collectors.joining("\n")));
      }
    }
  }

  private static String fingerprint(OracleLayout layout, List<Path> sparkJars) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
      for (Path jar : sparkJars) {
        sha.update(jar.toString().getBytes(StandardCharsets.UTF_8));
      }
      for (Path file : layout.bridgeFiles()) {
        sha.update(layout.bridgeSourceDir().relativize(file).toString()
            .getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
