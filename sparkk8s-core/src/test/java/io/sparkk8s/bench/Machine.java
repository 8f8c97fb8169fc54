package io.sparkk8s.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run came from: CPU, cores, memory, kernel, JVM, and the load average sampled
 * through the run (other processes share the machine, so the figures depend on it).
 *
 * <pre>{@code
 * try (Machine.LoadSampler load = Machine.LoadSampler.start(Duration.ofSeconds(5))) {
 *   ... run ...
 *   String text = Machine.describe() + ", load " + load.summary();
 * }
 * }</pre>
 */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    long memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")))
        .orElse(0L);
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB memory, %s %s, Java %s (%s)",
        Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0, System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(key)) {
          return java.util.Optional.of(line.substring(line.indexOf(':') + 1).strip());
        }
      }
    } catch (IOException e) {
      // Not Linux: describe what the JVM knows.
    }
    return java.util.Optional.empty();
  }

  /** The 1-minute load average, read from {@code /proc/loadavg} every period. */
  static final class LoadSampler implements AutoCloseable {
    private final Samples load = new Samples("");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-load");
      t.setDaemon(true);
      return t;
    });

    private LoadSampler(Duration period) {
      timer.scheduleAtFixedRate(this::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    static LoadSampler start(Duration period) {
      return new LoadSampler(period);
    }

    private void sample() {
      try {
        List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+"));
        load.add(Double.parseDouble(fields.get(0)));
      } catch (IOException | RuntimeException e) {
        // No /proc/loadavg: the summary says so.
      }
    }

    /** "min / median / max" of the samples so far. */
    String summary() {
      if (load.count() == 0) {
        return "not available";
      }
      return String.format(Locale.ROOT, "%.2f min / %.2f median / %.2f max (1-minute load average, %d samples)",
          load.percentile(0.0001), load.median(), load.max(), load.count());
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
