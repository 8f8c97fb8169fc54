package io.sparkk8s.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a JVM's CPU time and allocation went between two points: each live Java thread's CPU time
 * and allocated bytes (the JDK's thread counters, exact, not sampled), grouped by thread name with
 * digits folded ({@code pool-#-thread-#}, {@code OkHttp}, {@code sparkk8s-notify}); the rest of the
 * process's CPU time is the JVM's own threads, which are not Java threads (garbage collection, the
 * JIT compilers, the VM thread) or threads that ended in between. A sampling profiler sees Java
 * threads only: this split is what shows the rest. On Linux, the JVM's own threads are read from
 * {@code /proc/self/task/<id>/schedstat} (nanoseconds on a CPU) by their names: garbage
 * collection ({@code GC Thread#}, {@code G1 ...}), the JIT compilers ({@code C1/C2
 * CompilerThread}) and the VM's ({@code VM Thread}, ...); what is left is threads that ended.
 */
final class CpuSplit {
  /** The JVM's own work: not a Java thread, so not in any group. */
  static final String NOT_JAVA = "not Java threads: GC, JIT compilers, VM (and threads that ended)";
  static final String GC = "JVM: garbage collection threads";
  static final String JIT = "JVM: JIT compiler threads";
  static final String VM = "JVM: VM thread and its helpers";
  static final String ENDED = "threads that ended during the batch, and the rest";
  private static final java.nio.file.Path TASKS = java.nio.file.Path.of("/proc/self/task");
  /**
   * How finely the process's CPU time is counted: Linux reports it in clock ticks of its USER_HZ
   * (100 a second), while a thread's is in nanoseconds. A difference of two readings is off by less
   * than one tick, so one thread's time may exceed the process's by up to this much.
   */
  static final long PROCESS_CPU_RESOLUTION_NS = 10_000_000L;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuSplit() {}

  /** The counters at one point. */
  record Snapshot(long processCpu, Map<Long, long[]> threads, Map<Long, String> names,
      long gcCount, long gcMillis, Map<String, Long> jvmThreads) {}

  /**
   * What happened between two snapshots: CPU nanoseconds and allocated bytes by group, the
   * process's CPU, and the garbage collections (count, and their time in ms, wall clock).
   */
  record Split(Map<String, long[]> groups, long processCpu, long gcCount, long gcMillis) {
    static final Split EMPTY = new Split(Map.of(), 0, 0, 0);

    Split plus(Split o) {
      Map<String, long[]> sum = new TreeMap<>();
      for (Map<String, long[]> m : List.of(groups, o.groups)) {
        m.forEach((k, v) -> {
          long[] s = sum.computeIfAbsent(k, x -> new long[2]);
          s[0] += v[0];
          s[1] += v[1];
        });
      }
      return new Split(sum, processCpu + o.processCpu, gcCount + o.gcCount, gcMillis + o.gcMillis);
    }

    /** Bytes allocated by Java threads. */
    long allocated() {
      return groups.values().stream().mapToLong(v -> v[1]).sum();
    }
  }

  static Snapshot take() {
    long[] ids = THREADS.getAllThreadIds();
    long[] cpu = THREADS.getThreadCpuTime(ids);
    long[] allocated = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, long[]> threads = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      java.lang.management.ThreadInfo info = THREADS.getThreadInfo(ids[i]);
      if (info != null && cpu[i] >= 0) {
        threads.put(ids[i], new long[] {cpu[i], Math.max(0, allocated[i])});
        names.put(ids[i], info.getThreadName());
      }
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    Map<String, Long> jvm = jvmThreads();
    return new Snapshot(OS.getProcessCpuTime(), threads, names, gcCount, gcMillis, jvm);
  }

  /**
   * The CPU nanoseconds of each of the JVM's own threads (by task id, with its group), read from
   * {@code /proc}: empty where there is none.
   */
  private static Map<String, Long> jvmThreads() {
    Map<String, Long> out = new HashMap<>();
    java.io.File[] tasks = TASKS.toFile().listFiles();
    if (tasks == null) {
      return out;
    }
    for (java.io.File t : tasks) {
      try {
        String comm = java.nio.file.Files.readString(t.toPath().resolve("comm")).trim();
        String group = comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? GC
            : comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") ? JIT
            : java.util.Set.of("VM Thread", "VM Periodic Tas", "Sweeper thread", "Service Thread",
                "Monitor Deflati").contains(comm) ? VM : null;
        if (group != null) {
          String stat = java.nio.file.Files.readString(t.toPath().resolve("schedstat")).trim();
          out.put(group + "\t" + t.getName(), Long.parseLong(stat.split(" ")[0]));
        }
      } catch (java.io.IOException | RuntimeException ended) {
        // The task ended while being read.
      }
    }
    return out;
  }

  static Split between(Snapshot a, Snapshot b) {
    Map<String, long[]> groups = new TreeMap<>();
    long java = 0;
    for (Map.Entry<Long, long[]> e : b.threads().entrySet()) {
      long[] before = a.threads().getOrDefault(e.getKey(), new long[2]);
      long cpu = Math.max(0, e.getValue()[0] - before[0]);
      long bytes = Math.max(0, e.getValue()[1] - before[1]);
      if (cpu == 0 && bytes == 0) {
        continue;
      }
      long[] g = groups.computeIfAbsent(group(b.names().get(e.getKey())), k -> new long[2]);
      g[0] += cpu;
      g[1] += bytes;
      java += cpu;
    }
    long process = b.processCpu() - a.processCpu();
    long jvm = 0;
    if (!b.jvmThreads().isEmpty()) {
      for (Map.Entry<String, Long> e : b.jvmThreads().entrySet()) {
        long cpu = Math.max(0, e.getValue() - a.jvmThreads().getOrDefault(e.getKey(), 0L));
        String group = e.getKey().substring(0, e.getKey().indexOf('\t'));
        groups.computeIfAbsent(group, k -> new long[2])[0] += cpu;
        jvm += cpu;
      }
      groups.put(ENDED, new long[] {Math.max(0, process - java - jvm), 0});
    } else {
      groups.put(NOT_JAVA, new long[] {Math.max(0, process - java), 0});
    }
    return new Split(groups, process, b.gcCount() - a.gcCount(), b.gcMillis() - a.gcMillis());
  }

  /** A thread's group: its name with digit runs folded, OkHttp's by their first word. */
  static String group(String name) {
    if (name.startsWith("OkHttp")) {
      return "OkHttp (HTTP/2 readers, TLS)";
    }
    return name.replaceAll("[0-9]+", "#");
  }

  /**
   * A markdown table of the sides' splits, per job: each group's CPU (ms) and allocation (KB), the
   * groups ordered by the first side's CPU, those under 1 % of every side's CPU left out.
   */
  static String markdown(String title, Map<String, Split> sides, int jobs) {
    java.util.Set<String> order = new java.util.LinkedHashSet<>();
    Split first = sides.values().iterator().next();
    first.groups().entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(e -> order.add(e.getKey()));
    sides.values().forEach(s -> order.addAll(s.groups().keySet()));
    StringBuilder md = new StringBuilder("#### " + title + "\n\n| Thread group |");
    sides.keySet().forEach(k -> md.append(" ").append(k).append(" CPU ms/job | ").append(k)
        .append(" KB/job |"));
    md.append("\n|---|").append("---:|---:|".repeat(sides.size())).append("\n");
    for (String g : order) {
      boolean small = sides.values().stream().allMatch(s -> s.groups().getOrDefault(g,
          new long[2])[0] < s.processCpu() / 100);
      if (small) {
        continue;
      }
      md.append("| `").append(g).append("` |");
      for (Split s : sides.values()) {
        long[] v = s.groups().getOrDefault(g, new long[2]);
        md.append(String.format(" %.3f | %s |", v[0] / 1e6 / jobs,
            g.equals(NOT_JAVA) || g.startsWith("JVM: ") || g.equals(ENDED) ? "-"
                : String.format("%.0f", v[1] / 1024.0 / jobs)));
      }
      md.append("\n");
    }
    md.append("| **process** |");
    for (Split s : sides.values()) {
      md.append(String.format(" **%.3f** | **%.0f** |", s.processCpu() / 1e6 / jobs,
          s.allocated() / 1024.0 / jobs));
    }
    md.append("\n\nGarbage collections during the batches: ");
    md.append(String.join("; ", sides.entrySet().stream().map(e -> String.format(
        "%s %d (%d ms)", e.getKey(), e.getValue().gcCount(), e.getValue().gcMillis())).toList()));
    return md.append(".\n").toString();
  }
}
