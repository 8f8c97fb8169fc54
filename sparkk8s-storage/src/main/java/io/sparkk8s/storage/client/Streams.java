package io.sparkk8s.storage.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Stream copying with progress. */
final class Streams {
  private Streams() {}

  static long copy(InputStream in, OutputStream out, LongConsumer progress) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      total += n;
      progress.accept(total);
    }
    return total;
  }
}
