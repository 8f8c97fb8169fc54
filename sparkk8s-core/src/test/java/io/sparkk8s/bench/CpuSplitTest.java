package io.sparkk8s.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The split puts a thread's CPU and allocation in its group, and the rest in the JVM's own. */
class CpuSplitTest {
  @Test
  void aThreadsWorkLandsInItsGroup() throws Exception {
    CpuSplit.Snapshot before = CpuSplit.take();
    CountDownLatch worked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Object[] keep = new Object[1];
    Thread busy = new Thread(() -> {
      long until = System.nanoTime() + 200_000_000L;
      long x = 0;
      while (System.nanoTime() < until) {
        x += System.identityHashCode(new Object());
      }
      keep[0] = new byte[(8 << 20) + (int) (x & 1)];
      worked.countDown();
      try {
        // Alive until read: an ended thread's counters are gone with it.
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "busy-worker-17");
    busy.start();
    worked.await();
    CpuSplit.Split split = CpuSplit.between(before, CpuSplit.take());
    release.countDown();
    busy.join();
    long[] group = split.groups().get("busy-worker-#");
    assertThat(group).as("the thread's group, digits folded").isNotNull();
    assertThat(group[0]).as("its CPU time, ns").isGreaterThan(20_000_000L);
    assertThat(group[1]).as("its allocation, bytes").isGreaterThanOrEqualTo(8L << 20);
    // The process's time is counted in clock ticks, the thread's in nanoseconds (190 ms against
    // 190.13 ms was seen): the process's covers the thread's to within one tick.
    assertThat(split.processCpu()).as("the process's CPU time, ns")
        .isGreaterThanOrEqualTo(group[0] - CpuSplit.PROCESS_CPU_RESOLUTION_NS);
    // On Linux the JVM's own threads are read from /proc; elsewhere they are one residue.
    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      assertThat(split.groups()).containsKeys(CpuSplit.GC, CpuSplit.JIT, CpuSplit.ENDED);
      assertThat(split.groups().get(CpuSplit.JIT)[0]).as("the JIT compiled the busy loop")
          .isPositive();
    } else {
      assertThat(split.groups()).containsKey(CpuSplit.NOT_JAVA);
    }

    Map<String, CpuSplit.Split> sides = new LinkedHashMap<>();
    sides.put("A", split);
    sides.put("B", CpuSplit.Split.EMPTY.plus(split));
    String md = CpuSplit.markdown("t", sides, 2);
    assertThat(md).contains("| `busy-worker-#` |", "A CPU ms/job", "B KB/job", "**process**");
  }

  @Test
  void okHttpThreadsAreOneGroup() {
    assertThat(CpuSplit.group("OkHttp https://10.0.0.1:6443/...")).isEqualTo(CpuSplit.group(
        "OkHttp TaskRunner"));
    assertThat(CpuSplit.group("pool-3-thread-12")).isEqualTo("pool-#-thread-#");
  }
}
