package io.sparkk8s.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;

/** The bytes the driver wrote; streams read them from the start and wait for more. */
final class DriverLog {
  private byte[] bytes = new byte[256];
  private int size;
  private boolean ended;

  synchronized void append(byte[] line) {
    if (size + line.length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + line.length));
    }
    System.arraycopy(line, 0, bytes, size, line.length);
    size += line.length;
    notifyAll();
  }

  synchronized void end() {
    ended = true;
    notifyAll();
  }

  InputStream follow() {
    return new Follower();
  }

  /** Reads from the start; blocks at the end of what was written until more comes or the job ends. */
  private final class Follower extends InputStream {
    private int position;
    private boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      synchronized (DriverLog.this) {
        while (position >= size && !ended && !closed) {
          try {
            DriverLog.this.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while following the driver log");
          }
        }
        if (closed || position >= size) {
          return -1;
        }
        int n = Math.min(len, size - position);
        System.arraycopy(bytes, position, b, off, n);
        position += n;
        return n;
      }
    }

    @Override
    public int available() {
      synchronized (DriverLog.this) {
        return closed ? 0 : size - position;
      }
    }

    @Override
    public void close() {
      synchronized (DriverLog.this) {
        closed = true;
        DriverLog.this.notifyAll();
      }
    }
  }
}
