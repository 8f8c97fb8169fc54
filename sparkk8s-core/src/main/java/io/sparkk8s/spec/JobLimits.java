package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.Quantities;
import java.math.BigDecimal;
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

  /** The conf keys of one role's size, written once: these rules run on every build(). */
  record RoleKeys(String name, String cores, String requestCores, String limitCores,
      String memory, String memoryOverhead) {
    static RoleKeys of(String role) {
      return new RoleKeys(role, "spark." + role + ".cores", "spark.kubernetes." + role + ".request.cores",
          "spark.kubernetes." + role + ".limit.cores", "spark." + role + ".memory",
          "spark." + role + ".memoryOverhead");
    }
  }

  /** The driver's keys, then the executors'. */
  static final List<RoleKeys> ROLES = List.of(RoleKeys.of("driver"), RoleKeys.of("executor"));
  private static final List<String> EXECUTOR_COUNTS = List.of("spark.executor.instances",
      "spark.dynamicAllocation.minExecutors", "spark.dynamicAllocation.initialExecutors",
      "spark.dynamicAllocation.maxExecutors");

  private JobLimits() {}

  static void check(Checks c, JobDescription job, Map<String, String> conf) {
    Limits limits = job.limits();
    annotations(c, conf, "spark.kubernetes.driver.annotation.", "annotations",
        "the driver's annotations (job and driver together)");
    annotations(c, conf, "spark.kubernetes.executor.annotation.", "executor.annotations",
        "the executors' annotations (job and executor together)");
    // Only a conf near the bound is rendered to be measured exactly.
    if (io.sparkk8s.validate.PropertiesText.mostBytes(conf) > MAX_PROPERTIES_BYTES) {
      long bytes = Utf8Bytes.length(io.sparkk8s.validate.PropertiesText.of(conf, ""));
      c.require(bytes <= MAX_PROPERTIES_BYTES, "sparkConf", bytes + " bytes of spark.properties",
          "must fit the driver's ConfigMap (at most " + MAX_PROPERTIES_BYTES + " bytes); put large"
              + " settings in a file (files) instead");
    }

    for (int i = 0; i < EXECUTOR_COUNTS.size(); i++) {
      String key = EXECUTOR_COUNTS.get(i);
      String v = conf.get(key);
      // Messages are written only when a rule fails: these rules run on every build().
      if (v != null && count(v) > limits.maxExecutors()) {
        c.fail(attribute(job, key), v,
            "must be at most limits.maxExecutors (" + limits.maxExecutors() + "); raise it with"
                + " SparkJob.limits(Limits.builder().maxExecutors(n).build()) if you mean it");
      }
    }
    for (int i = 0; i < ROLES.size(); i++) {
      RoleKeys role = ROLES.get(i);
      cores(c, job, conf, role.cores(), limits);
      cores(c, job, conf, role.requestCores(), limits);
      cores(c, job, conf, role.limitCores(), limits);
      memory(c, job, conf, role, limits);
    }
    job.priorityClassName().ifPresent(p -> c.require(!SYSTEM_PRIORITY.contains(p)
        || limits.allowSystemPriority(), "priorityClassName", p, "is a system priority class whose"
            + " pods preempt the cluster's own agents; set"
            + " Limits.builder().allowSystemPriority(true) if you mean it"));
    argsAndEnv(c, job, conf, limits);
  }

  /** The job's attribute a conf key comes from: the typed one unless {@code sparkConf} sets it. */
  private static String attribute(JobDescription job, String key) {
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
        total += Utf8Bytes.length(e.getKey()) - prefix.length() + Utf8Bytes.length(e.getValue());
      }
    }
    if (total > MAX_ANNOTATION_BYTES) {
      c.fail(attribute, total + " bytes",
          what + " must total at most 256 KiB, the API server's limit per object");
    }
  }

  private static void cores(Checks c, JobDescription job, Map<String, String> conf, String key,
      Limits limits) {
    String v = conf.get(key);
    if (v == null) {
      return;
    }
    boolean over;
    long whole = count(v);
    if (whole >= 0) {
      over = whole > limits.maxCoresPerPod(); // "2": no quantity to parse
    } else {
      try {
        over = Quantities.parse(v).getNumber().compareTo(BigDecimal.valueOf(limits.maxCoresPerPod())) > 0;
      } catch (RuntimeException e) {
        return; // not a quantity: the attribute's own check names it
      }
    }
    if (over) {
      c.fail(attribute(job, key), v, "must be at most limits.maxCoresPerPod ("
          + limits.maxCoresPerPod() + "); raise it with Limits.builder().maxCoresPerPod(n) if you"
          + " mean it");
    }
  }

  private static void memory(Checks c, JobDescription job, Map<String, String> conf, RoleKeys role,
      Limits limits) {
    String heap = conf.getOrDefault(role.memory(), "1g");
    long heapMib = Checks.sparkMemoryMib(heap);
    String overhead = conf.get(role.memoryOverhead());
    long overheadMib = overhead == null ? -1 : Checks.sparkMemoryMib(overhead);
    long max = Checks.sparkMemoryMib(limits.maxMemoryPerPod());
    if (heapMib < 0 || (overhead != null && overheadMib < 0) || max < 0) {
      return; // invalid sizes are named by their own checks
    }
    long total = Checks.memoryWithOverheadMib(heapMib, 0.1, Checks.MIN_MEMORY_OVERHEAD_MIB,
        overheadMib);
    if (total > max) {
      c.fail(attribute(job, role.memory()), heap
              + (overhead == null ? "" : " + " + overhead + " overhead"),
          "heap and overhead (" + total + " MiB) must be at most limits.maxMemoryPerPod ("
              + limits.maxMemoryPerPod() + "); raise it with"
              + " Limits.builder().maxMemoryPerPod(size) if you mean it");
    }
  }

  /**
   * The value of a count of 1 to 9 digits, as {@code SpecPatterns.COUNT} admits, read without a
   * matcher; -1 for anything else (its own check names it).
   */
  static long count(String v) {
    int n = v.length();
    if (n == 0 || n > 9) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      char ch = v.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      value = value * 10 + (ch - '0');
    }
    return value;
  }

  /** Arguments and environment of the driver container, and the executors' environment. */
  private static void argsAndEnv(Checks c, JobDescription job, Map<String, String> conf, Limits limits) {
    long driver = 0;
    for (String a : job.arguments()) {
      driver += Utf8Bytes.length(a) + 1;
    }
    driver += env(conf, "spark.kubernetes.driverEnv.");
    long executor = env(conf, "spark.executorEnv.");
    int max = limits.maxArgsAndEnvBytes();
    if (driver > max || executor > max) {
      String rule = " must total at most limits.maxArgsAndEnvBytes (" + max + " bytes): put large"
          + " values in a file (files, secretVolumes) instead";
      c.require(driver <= max, "arguments", driver + " bytes",
          "the driver's arguments and environment" + rule);
      c.require(executor <= max, "executor.env", executor + " bytes",
          "the executors' environment" + rule);
    }
  }

  private static long env(Map<String, String> conf, String prefix) {
    long total = 0;
    for (var e : conf.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        total += e.getKey().length() - prefix.length() + 1
            + Utf8Bytes.length(e.getValue()) + 1;
      }
    }
    return total;
  }
}
