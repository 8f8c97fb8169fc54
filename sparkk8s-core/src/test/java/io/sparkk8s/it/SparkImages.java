package io.sparkk8s.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Spark versions the local cluster has images for ({@code SPARK_VERSIONS} in
 * {@code scripts/local-k8s/versions.env}), so E2E tests that run a job on every supported line
 * read them from the one place the image build does.
 */
final class SparkImages {
  static final Path VERSIONS_ENV = Path.of("..", "scripts", "local-k8s", "versions.env");

  private SparkImages() {}

  /** Every version an image is built for, the default first. */
  static List<String> versions() {
    return Arrays.asList(value("SPARK_VERSIONS").split("\\s+"));
  }

  /** The variable's value in versions.env (quotes removed). */
  static String value(String name) {
    try {
      for (String line : Files.readAllLines(VERSIONS_ENV)) {
        if (line.startsWith(name + "=")) {
          return line.substring(name.length() + 1).replace("\"", "").strip();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + VERSIONS_ENV.toAbsolutePath(), e);
    }
    throw new IllegalStateException(VERSIONS_ENV.toAbsolutePath() + " sets no " + name);
  }
}
