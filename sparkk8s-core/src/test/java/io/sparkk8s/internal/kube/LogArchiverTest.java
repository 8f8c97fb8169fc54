package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A log the API server cut at the client's limit says so in its last line; a shorter one not. */
class LogArchiverTest {

  @Test
  void aLogCutAtTheLimitEndsWithALineSayingSo() throws IOException {
    byte[] cut = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
    String archived = read(new LogArchiver.CountingTail(new ByteArrayInputStream(cut), 100));
    assertThat(archived).startsWith("x".repeat(100))
        .endsWith("\n[sparkk8s: the log was cut at 100 bytes, the client's driverLogLimit]\n");
  }

  @Test
  void aShorterLogIsPassedThroughUnchanged() throws IOException {
    byte[] log = "line\n".repeat(10).getBytes(StandardCharsets.UTF_8);
    assertThat(read(new LogArchiver.CountingTail(new ByteArrayInputStream(log), 100)))
        .isEqualTo("line\n".repeat(10));
  }

  private static String read(java.io.InputStream in) throws IOException {
    try (in) {
      // One byte at a time and in blocks: both paths count.
      StringBuilder s = new StringBuilder();
      s.append((char) in.read());
      s.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return s.toString();
    }
  }
}
