package io.sparkk8s.spec;

import io.kubernetes.client.custom.Quantity;
import io.sparkk8s.internal.validate.Checks;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's sizes against the API server's limits and the job's {@link Limits}, checked on the conf
 * the job compiles to, so a value set through {@code sparkConf} counts like a typed one.
 */
final class JobLimits {
  /** What a ConfigMap may hold (1 MiB), less room for the properties the compiler adds. */
  static final int MAX_PROPERTIES_BYTES = 1024 * 1024 - 16 * 1024;
  /** The API server's {@code TotalAnnotationSizeLimitB}: keys and values of one object. */
  static final int MAX_ANNOTATION_BYTES = 256 * 1024;
  /** Priority classes that preempt anything, the cluster's own agents included. */
  static final Set<String> SYSTEM_PRIORITY = Set.of("system-node-critical", "system-cluster-critical");

  private JobLimits() {}

  static void check(Checks c, SparkJob job, Map<String, String> conf) {
    Limits limits = job.limits();
    annotations(c, conf, "spark.kubernetes.driver.annotation.", "annotations",
        "the driver's annotations (job and driver together)");
    annotations(c, conf, "spark.kubernetes.executor.annotation.", "executor.annotations",
        "the executors' annotations (job and executor together)");
    int bytes = io.sparkk8s.internal.compile.PropertiesText.of(conf, "")
        .getBytes(StandardCharsets.UTF_8).length;
    c.require(bytes <= MAX_PROPERTIES_BYTES, "sparkConf", bytes + " bytes of spark.properties",
        "must fit the driver's ConfigMap (at most " + MAX_PROPERTIES_BYTES + " bytes); put large"
            + " settings in a file (files) instead");

    for (String key : List.of("spark.executor.instances", "spark.dynamicAllocation.minExecutors",
        "spark.dynamicAllocation.initialExecutors", "spark.dynamicAllocation.maxExecutors")) {
      String v = conf.get(key);
      if (v != null && SpecPatterns.COUNT.matcher(v).matches()) {
        c.require(Integer.parseInt(v) <= limits.maxExecutors(), attribute(job, key), v,
            "must be at most limits.maxExecutors (" + limits.maxExecutors() + "); raise it with"
                + " SparkJob.limits(Limits.builder().maxExecutors(n).build()) if you mean it");
      }
    }
    for (String role : List.of("driver", "executor")) {
      cores(c, job, conf, "spark." + role + ".cores", limits);
      cores(c, job, conf, "spark.kubernetes." + role + ".request.cores", limits);
      cores(c, job, conf, "spark.kubernetes." + role + ".limit.cores", limits);
      memory(c, job, conf, role, limits);
    }
    job.priorityClassName().ifPresent(p -> c.require(!SYSTEM_PRIORITY.contains(p)
        || limits.allowSystemPriority(), "priorityClassName", p, "is a system priority class whose"
            + " pods preempt the cluster's own agents; set"
            + " Limits.builder().allowSystemPriority(true) if you mean it"));
    argsAndEnv(c, job, conf, limits);
  }

  /** The job's attribute a conf key comes from: the typed one unless {@code sparkConf} sets it. */
  private static String attribute(SparkJob job, String key) {
    if (job.sparkConf().containsKey(key)) {
      return "sparkConf[" + key + "]";
    }
    return switch (key) {
      case "spark.executor.instances" -> "executor.instances";
      case "spark.driver.cores" -> "driver.cores";
      case "spark.executor.cores" -> "executor.cores";
      case "spark.kubernetes.driver.request.cores" -> "driver.coreRequest";
      case "spark.kubernetes.executor.request.cores" -> "executor.coreRequest";
      case "spark.kubernetes.driver.limit.cores" -> "driver.coreLimit";
      case "spark.kubernetes.executor.limit.cores" -> "executor.coreLimit";
      case "spark.driver.memory" -> "driver.memory";
      case "spark.executor.memory" -> "executor.memory";
      default -> key.startsWith("spark.dynamicAllocation.")
          ? "dynamicAllocation." + key.substring("spark.dynamicAllocation.".length()) : key;
    };
  }

  private static void annotations(Checks c, Map<String, String> conf, String prefix,
      String attribute, String what) {
    long total = 0;
    for (var e : conf.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        total += e.getKey().substring(prefix.length()).getBytes(StandardCharsets.UTF_8).length
            + e.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    c.require(total <= MAX_ANNOTATION_BYTES, attribute, total + " bytes",
        what + " must total at most 256 KiB, the API server's limit per object");
  }

  private static void cores(Checks c, SparkJob job, Map<String, String> conf, String key,
      Limits limits) {
    String v = conf.get(key);
    if (v == null) {
      return;
    }
    BigDecimal cores;
    try {
      cores = Quantity.fromString(v).getNumber();
    } catch (RuntimeException e) {
      return; // not a quantity: the attribute's own check names it
    }
    c.require(cores.compareTo(BigDecimal.valueOf(limits.maxCoresPerPod())) <= 0,
        attribute(job, key), v, "must be at most limits.maxCoresPerPod (" + limits.maxCoresPerPod()
            + "); raise it with Limits.builder().maxCoresPerPod(n) if you mean it");
  }

  private static void memory(Checks c, SparkJob job, Map<String, String> conf, String role,
      Limits limits) {
    String heap = conf.getOrDefault("spark." + role + ".memory", "1g");
    long heapMib = Checks.sparkMemoryMib(heap);
    String overhead = conf.get("spark." + role + ".memoryOverhead");
    long overheadMib = overhead == null ? -1 : Checks.sparkMemoryMib(overhead);
    long max = Checks.sparkMemoryMib(limits.maxMemoryPerPod());
    if (heapMib < 0 || (overhead != null && overheadMib < 0) || max < 0) {
      return; // invalid sizes are named by their own checks
    }
    long total = Checks.memoryWithOverheadMib(heapMib, 0.1, Checks.MIN_MEMORY_OVERHEAD_MIB,
        overheadMib);
    c.require(total <= max, attribute(job, "spark." + role + ".memory"), heap
            + (overhead == null ? "" : " + " + overhead + " overhead"),
        "heap and overhead (" + total + " MiB) must be at most limits.maxMemoryPerPod ("
            + limits.maxMemoryPerPod() + "); raise it with Limits.builder().maxMemoryPerPod(size)"
            + " if you mean it");
  }

  /** Arguments and environment of the driver container, and the executors' environment. */
  private static void argsAndEnv(Checks c, SparkJob job, Map<String, String> conf, Limits limits) {
    long driver = 0;
    for (String a : job.arguments()) {
      driver += a.getBytes(StandardCharsets.UTF_8).length + 1;
    }
    driver += env(conf, "spark.kubernetes.driverEnv.");
    long executor = env(conf, "spark.executorEnv.");
    int max = limits.maxArgsAndEnvBytes();
    String rule = " must total at most limits.maxArgsAndEnvBytes (" + max + " bytes): put large"
        + " values in a file (files, secretVolumes) instead";
    c.require(driver <= max, "arguments", driver + " bytes",
        "the driver's arguments and environment" + rule);
    c.require(executor <= max, "executor.env", executor + " bytes",
        "the executors' environment" + rule);
  }

  private static long env(Map<String, String> conf, String prefix) {
    long total = 0;
    for (var e : conf.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        total += e.getKey().length() - prefix.length() + 1
            + e.getValue().getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }
    return total;
  }
}
