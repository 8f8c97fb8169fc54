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

  @Test
  void theDriversRememberedAsArchivedAreBoundedAndAForgottenOneCostsOneContainsCall() {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    io.sparkk8s.LogArchive holdsEverything = new io.sparkk8s.LogArchive() {
      @Override
      public void write(Key key, java.io.InputStream log) {
        throw new AssertionError("a log the archive holds is not written again");
      }

      @Override
      public boolean contains(Key key) {
        asked.incrementAndGet();
        return true;
      }

      @Override
      public java.util.Optional<java.io.InputStream> open(Key key) {
        return java.util.Optional.empty();
      }
    };
    try (Timers timers = new Timers()) {
      // No API server: a driver the archive holds is never read.
      LogArchiver archiver = new LogArchiver(java.util.Optional.of(holdsEverything), 1 << 20, null,
          timers);
      int drivers = LogArchiver.REMEMBERED + 500;
      for (int i = 0; i < drivers; i++) {
        assertThat(archiver.ensure(key(i))).isTrue();
      }
      assertThat(asked).hasValue(drivers);
      assertThat(archiver.remembered()).as("the last %d only", LogArchiver.REMEMBERED)
          .isEqualTo(LogArchiver.REMEMBERED);
      archiver.ensure(key(drivers - 1));
      assertThat(asked).as("a remembered driver: the archive is not asked").hasValue(drivers);
      archiver.ensure(key(0));
      assertThat(asked).as("a forgotten driver: one question").hasValue(drivers + 1);
    }
  }

  private static io.sparkk8s.LogArchive.Key key(int i) {
    return new io.sparkk8s.LogArchive.Key("jobs", "job-" + i + "-driver", "spark-" + i);
  }
}
