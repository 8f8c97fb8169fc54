package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The archive's key is read from the cluster (a pod's name and labels), so anything reaching a
 * path is checked in one place; the directory archive writes whole logs or none.
 */
class LogArchiveTest {

  @Test
  void aLogIsWrittenUnderItsNamespaceDriverAndApplication(@TempDir Path root) throws IOException {
    LogArchive archive = DirectoryLogArchive.at(root);
    LogArchive.Key key = new LogArchive.Key("jobs", "pi-1a2b-driver", "spark-0123abcd");
    assertThat(archive.contains(key)).isFalse();
    assertThat(archive.open(key)).isEmpty();
    archive.write(key, stream("line 1\nPi is roughly 3.14\n"));
    assertThat(root.resolve("jobs/pi-1a2b-driver/spark-0123abcd.log")).hasContent(
        "line 1\nPi is roughly 3.14\n");
    assertThat(Files.getPosixFilePermissions(root.resolve(key.relativePath())))
        .as("readable by the volume's other users").isEqualTo(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(archive.contains(key)).isTrue();
    try (InputStream in = archive.open(key).orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).endsWith("3.14\n");
    }
    archive.write(key, stream("again\n"));
    assertThat(root.resolve(key.relativePath())).hasContent("again\n");
    try (Stream<Path> files = Files.list(root.resolve("jobs/pi-1a2b-driver"))) {
      assertThat(files).as("no temporary file left").hasSize(1);
    }
  }

  @Test
  void aWriteThatFailsLeavesNoLogAndNoTemporaryFile(@TempDir Path root) throws IOException {
    LogArchive archive = DirectoryLogArchive.at(root);
    LogArchive.Key key = new LogArchive.Key("jobs", "d", "spark-1");
    InputStream broken = new InputStream() {
      private int n;

      @Override
      public int read() throws IOException {
        if (n++ > 1000) {
          throw new IOException("connection reset");
        }
        return 'x';
      }
    };
    assertThatThrownBy(() -> archive.write(key, broken)).hasMessageContaining("connection reset");
    assertThat(archive.contains(key)).as("a reader finds the whole log or none").isFalse();
    try (Stream<Path> files = Files.list(root.resolve("jobs/d"))) {
      assertThat(files).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a/b", "../etc", "a..b", "UPPER", "with space", "-lead",
      "trail-", "a\u0085b", "a\nb", "", "x\u0000"})
  void aPartThatIsNotAKubernetesNameIsRefusedWithFieldValueAndRule(String bad) {
    assertThatThrownBy(() -> new LogArchive.Key("jobs", bad, "spark-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("driverPodName")
        .hasMessageContaining("is not a Kubernetes name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u0085", "\u0000"));
  }

  @Property(tries = 2000)
  void everyAcceptedKeyStaysUnderTheRoot(@ForAll("parts") String ns, @ForAll("parts") String pod,
      @ForAll("parts") String app) {
    LogArchive.Key key;
    try {
      key = new LogArchive.Key(ns, pod, app);
    } catch (IllegalArgumentException refused) {
      return;
    }
    Path root = Path.of("/archive").toAbsolutePath();
    Path file = root.resolve(key.relativePath()).normalize();
    assertThat(file.startsWith(root)).as(key.relativePath()).isTrue();
    assertThat(root.relativize(file).getNameCount()).isEqualTo(3);
  }

  @Provide
  Arbitrary<String> parts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().withChars("abc019-.").ofMinLength(1).ofMaxLength(8)),
        Tuple.of(1, Arbitraries.of("..", ".", "/", "a/../b", "\u0085", "%2e%2e", "a\\b")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)));
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
