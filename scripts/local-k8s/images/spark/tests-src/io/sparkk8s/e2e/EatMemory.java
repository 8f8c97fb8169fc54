package io.sparkk8s.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * E2E test program: a driver that keeps allocating and touching native memory until the kernel
 * kills it for exceeding its container's memory limit (reason OOMKilled), not a Java heap error.
 */
public final class EatMemory {
  private EatMemory() {}

  public static void main(String[] args) throws Exception {
    List<ByteBuffer> held = new ArrayList<>();
    for (long mib = 0; ; mib += 16) {
      ByteBuffer b = ByteBuffer.allocateDirect(16 << 20);
      for (int i = 0; i < b.capacity(); i += 4096) {
        b.put(i, (byte) 1);
      }
      held.add(b);
      if (mib % 256 == 0) {
        System.out.println("EatMemory: holding " + mib + " MiB");
      }
    }
  }
}
