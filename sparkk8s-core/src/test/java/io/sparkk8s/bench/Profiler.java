package io.sparkk8s.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Samples where the benchmark JVM spends its CPU during one phase (JDK Flight Recorder's method
 * samples every 2 ms, allocation samples), and says it in three tables: the share of samples by
 * library (the innermost recognised frame of each stack), by the SDK method that led to it (the
 * innermost {@code io.sparkk8s} frame, everything under it included) and by leaf method. The
 * recording is kept under {@code target/bench/} for {@code jfr print} or JMC.
 *
 * <pre>{@code
 * Profiler profiler = Profiler.start("throughput-sdk");
 * ... the phase ...
 * Profiler.Profile profile = profiler.stop(jobs);
 * report.appendix(profile.markdown());
 * }</pre>
 */
final class Profiler {
  /** Library buckets, checked innermost frame first; the first prefix that matches names it. */
  private static final Map<String, String> LIBRARIES = libraries();

  private final String name;
  private final Recording recording;

  private Profiler(String name, Recording recording) {
    this.name = name;
    this.recording = recording;
  }

  static Profiler start(String name) {
    Recording recording = new Recording();
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2)).withStackTrace();
    recording.enable("jdk.ObjectAllocationSample").with("throttle", "500/s").withStackTrace();
    // Where threads waited on a Java lock (contention) for 1 ms or more.
    recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
    recording.setToDisk(true);
    recording.start();
    return new Profiler(name, recording);
  }

  /** Ends the recording and reads it; {@code jobs} is what the phase did, for per-job figures. */
  Profile stop(int jobs) throws IOException {
    recording.stop();
    Path file = Path.of("target", "bench", "profile-" + name + ".jfr").toAbsolutePath();
    Files.createDirectories(file.getParent());
    recording.dump(file);
    recording.close();
    Map<String, Integer> byLibrary = new HashMap<>();
    Map<String, Integer> bySdkMethod = new HashMap<>();
    Map<String, Integer> byLeaf = new HashMap<>();
    Map<String, Long> allocatedBySdkMethod = new HashMap<>();
    Map<String, Long> blockedMicrosBySdkMethod = new HashMap<>();
    int samples = 0;
    long allocated = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = stack.getFrames();
      String type = event.getEventType().getName();
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        byLibrary.merge(library(frames), 1, Integer::sum);
        bySdkMethod.merge(sdkMethod(frames), 1, Integer::sum);
        byLeaf.merge(method(frames.get(0)), 1, Integer::sum);
      } else if (type.equals("jdk.JavaMonitorEnter")) {
        String where = sdkMethod(frames) + " on " + event.getClass("monitorClass").getName();
        blockedMicrosBySdkMethod.merge(where, event.getDuration().toNanos() / 1000, Long::sum);
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        long weight = event.getLong("weight");
        allocated += weight;
        allocatedBySdkMethod.merge(sdkMethod(frames), weight, Long::sum);
      }
    }
    return new Profile(name, jobs, samples, allocated, top(byLibrary, 12), top(bySdkMethod, 15), top(byLeaf, 12),
        top(allocatedBySdkMethod, 8), top(blockedMicrosBySdkMethod, 8), file);
  }

  /** What one recording found. */
  record Profile(String name, int jobs, int samples, long allocatedBytes, Map<String, Integer> byLibrary,
      Map<String, Integer> bySdkMethod, Map<String, Integer> byLeaf, Map<String, Long> allocatedBySdkMethod,
      Map<String, Long> blockedMicrosBySdkMethod, Path file) {

    /** Share of the samples, in percent. */
    double share(int count) {
      return samples == 0 ? 0 : 100.0 * count / samples;
    }

    String markdown() {
      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT, "#### Profile: %s%n%n%,d CPU samples of Java threads (every 2 ms of"
          + " each running thread) over %,d jobs; allocation %s KB per job (JFR's estimate). Recording: `%s`.%n%n",
          name, samples, jobs, Report.number(jobs == 0 ? 0 : allocatedBytes / 1024.0 / jobs),
          Path.of("").toAbsolutePath().relativize(file)));
      table(md, "Library (innermost recognised frame)", byLibrary);
      table(md, "SDK method leading there (innermost `io.sparkk8s` frame, callees included)", bySdkMethod);
      table(md, "Leaf method", byLeaf);
      md.append("| SDK method allocating (innermost `io.sparkk8s` frame) | KB per job |\n|---|---:|\n");
      allocatedBySdkMethod.forEach((k, v) -> md.append("| `").append(k).append("` | ")
          .append(Report.number(jobs == 0 ? 0 : v / 1024.0 / jobs)).append(" |\n"));
      md.append('\n');
      if (blockedMicrosBySdkMethod.isEmpty()) {
        md.append("No thread waited 1 ms or more for a Java lock.\n\n");
      } else {
        md.append("| Waited for a lock, 1 ms or more (innermost `io.sparkk8s` frame, on the lock's class) | ms |\n"
            + "|---|---:|\n");
        blockedMicrosBySdkMethod.forEach((k, v) -> md.append("| `").append(k).append("` | ")
            .append(Report.number(v / 1000.0)).append(" |\n"));
        md.append('\n');
      }
      return md.toString();
    }

    private void table(StringBuilder md, String title, Map<String, Integer> counts) {
      md.append("| ").append(title).append(" | samples | share |\n|---|---:|---:|\n");
      counts.forEach((k, v) -> md.append("| `").append(k).append("` | ").append(v).append(" | ")
          .append(Report.number(share(v))).append(" % |\n"));
      md.append('\n');
    }
  }

  private static String library(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      for (Map.Entry<String, String> e : LIBRARIES.entrySet()) {
        if (type.startsWith(e.getKey())) {
          return e.getValue();
        }
      }
    }
    return "other (JDK)";
  }

  private static String sdkMethod(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("io.sparkk8s.") && !type.startsWith("io.sparkk8s.bench.")) {
        return method(f);
      }
    }
    return "(no SDK frame)";
  }

  private static String method(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static <V extends Comparable<V>> Map<String, V> top(Map<String, V> counts, int n) {
    List<Map.Entry<String, V>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, V>comparingByValue().reversed());
    Map<String, V> out = new LinkedHashMap<>();
    entries.stream().limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Map<String, String> libraries() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("io.sparkk8s.bench.", "benchmark harness");
    m.put("io.sparkk8s.internal.compile.", "SDK compile");
    m.put("io.sparkk8s.validate.", "SDK validation");
    m.put("io.sparkk8s.spec.", "SDK descriptions (build)");
    m.put("io.sparkk8s.internal.kube.", "SDK client");
    m.put("io.sparkk8s.", "SDK other");
    m.put("org.yaml.snakeyaml.", "SnakeYAML");
    m.put("com.google.gson.", "Gson (JSON)");
    m.put("io.kubernetes.client.openapi.JSON", "Gson (JSON)");
    m.put("io.kubernetes.client.openapi.models.", "client-java models");
    m.put("io.kubernetes.client.informer.", "client-java informer");
    m.put("io.kubernetes.client.", "client-java other");
    m.put("okhttp3.", "OkHttp");
    m.put("okio.", "OkHttp");
    m.put("kotlin.", "OkHttp");
    m.put("sun.security.ssl.", "TLS");
    m.put("com.sun.crypto.", "TLS");
    m.put("sun.security.", "TLS");
    m.put("javax.crypto.", "TLS");
    m.put("org.bouncycastle.", "TLS");
    m.put("java.util.regex.", "regex");
    m.put("com.google.common.", "Guava");
    return m;
  }
}
