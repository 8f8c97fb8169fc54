package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big uncompressed log is summarized from its head and its tail only: the bytes read through
 * the (real, local Hadoop) store are counted. The event lines follow Spark's JSON protocol; that
 * the reader understands what Spark really writes is EventLogOracleTest's job.
 */
class EventLogsReadBoundTest {
  @TempDir Path dir;

  @Test
  void aFortyMegabyteLogIsReadFromItsHeadAndTailOnly() throws Exception {
    Path log = dir.resolve("spark-1234abcd");
    long start = 1_795_000_000_000L;
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      w.write("{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"4.1.1\"}\n");
      w.write("{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"big\","
          + "\"App ID\":\"spark-1234abcd\",\"Timestamp\":" + start + ",\"User\":\"etl\"}\n");
      String task = "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":0,\"Task Info\":{\"Task ID\":%d,"
          + "\"Launch Time\":" + start + ",\"Host\":\"10.0.0.1\"},\"Padding\":\"" + "x".repeat(300)
          + "\"}\n";
      for (int i = 0; i < 110_000; i++) {
        w.write(String.format(task, i));
      }
      w.write("{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":" + (start + 61_000)
          + "}\n");
    }
    assertThat(Files.size(log)).isGreaterThan(40L << 20);

    AtomicLong read = new AtomicLong();
    try (Store store = new Counting(HadoopStore.open(dir.toUri().toString(), Map.of(), null),
        read)) {
      Store.Entry entry = store.list(dir.toUri().toString()).get(0);
      ApplicationSummary app = EventLogs.read(store, entry).orElseThrow();
      assertThat(app.id()).isEqualTo("spark-1234abcd");
      assertThat(app.name()).isEqualTo("big");
      assertThat(app.sparkUser()).isEqualTo("etl");
      assertThat(app.startTime()).isEqualTo(Instant.ofEpochMilli(start));
      assertThat(app.endTime()).contains(Instant.ofEpochMilli(start + 61_000));
      assertThat(app.duration().toSeconds()).isEqualTo(61);
    }
    // The head (up to the start event, one buffer) and the last MiB: under 2 MiB of 40.
    assertThat(read.get()).isPositive().isLessThan(2L << 20);
  }

  /** A store that counts the bytes read through it. */
  private record Counting(Store delegate, AtomicLong read) implements Store {
    @Override
    public List<Entry> list(String dirUri) throws IOException {
      return delegate.list(dirUri);
    }

    @Override
    public Entry stat(String uri) throws IOException {
      return delegate.stat(uri);
    }

    @Override
    public InputStream open(String uri, long offset) throws IOException {
      return new FilterInputStream(delegate.open(uri, offset)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            read.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            read.addAndGet(n);
          }
          return n;
        }
      };
    }

    @Override
    public void upload(Path file, String uri, LongConsumer progress) throws IOException {
      delegate.upload(file, uri, progress);
    }

    @Override
    public void write(String uri, byte[] content) throws IOException {
      delegate.write(uri, content);
    }

    @Override
    public void mkdirs(String dirUri) throws IOException {
      delegate.mkdirs(dirUri);
    }

    @Override
    public void delete(String uri) throws IOException {
      delegate.delete(uri);
    }

    @Override
    public void checkRoot(String rootUri) throws IOException {
      delegate.checkRoot(rootUri);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
