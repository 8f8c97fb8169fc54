package io.sparkk8s.spec;

import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.Quantities;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for the values of the {@code sparkConf} keys that become fields of Kubernetes objects
 * (ports, resources, labels, annotations, environment, scheduler, Service families, local dirs),
 * so that a bad value fails at {@code build()} naming the key, instead of making the compiler
 * throw or the API server reject the driver. Found by the bad-input property
 * ({@code CompilePropertyTest}, {@code CompileFuzzE2E}).
 */
final class ConfChecks {
  static final List<String> PORT_KEYS = List.of("spark.driver.port", "spark.driver.blockManager.port",
      "spark.blockManager.port", "spark.ui.port", "spark.connect.grpc.binding.port");
  static final List<String> MEMORY_KEYS = List.of("spark.driver.memory", "spark.executor.memory",
      "spark.driver.memoryOverhead", "spark.executor.memoryOverhead", "spark.driver.minMemoryOverhead",
      "spark.executor.minMemoryOverhead");
  static final List<String> FACTOR_KEYS = List.of("spark.kubernetes.memoryOverheadFactor",
      "spark.driver.memoryOverheadFactor", "spark.executor.memoryOverheadFactor");
  static final List<String> CORES_KEYS = List.of("spark.driver.cores", "spark.executor.cores");
  static final List<String> CPU_KEYS = List.of("spark.kubernetes.driver.request.cores",
      "spark.kubernetes.driver.limit.cores", "spark.kubernetes.executor.request.cores",
      "spark.kubernetes.executor.limit.cores");
  static final List<String> LABEL_PREFIXES = List.of("spark.kubernetes.driver.label.",
      "spark.kubernetes.executor.label.", "spark.kubernetes.driver.service.label.",
      "spark.kubernetes.node.selector.", "spark.kubernetes.driver.node.selector.",
      "spark.kubernetes.executor.node.selector.");
  static final List<String> ANNOTATION_PREFIXES = List.of("spark.kubernetes.driver.annotation.",
      "spark.kubernetes.executor.annotation.", "spark.kubernetes.driver.service.annotation.");
  static final List<String> ENV_PREFIXES = List.of("spark.kubernetes.driverEnv.", "spark.executorEnv.");
  /** Prefixes that typed attributes own, with the attribute to use instead. */
  static final Map<String, String> OWNED_PREFIXES = Map.of(
      "spark.kubernetes.driver.secrets.", "secretVolumes",
      "spark.kubernetes.executor.secrets.", "secretVolumes",
      "spark.kubernetes.driver.secretKeyRef.", "secretEnv",
      "spark.kubernetes.executor.secretKeyRef.", "secretEnv",
      "spark.kubernetes.driver.volumes.", "volumes",
      "spark.kubernetes.executor.volumes.", "volumes");
  static final Set<String> IP_FAMILY_POLICIES = Set.of("SingleStack", "PreferDualStack", "RequireDualStack");

  private ConfChecks() {}

  /**
   * Environment variables Spark sets in the driver or executor pods itself: a value given for one
   * would be a second entry of the same name, and which one wins is up to the container runtime.
   */
  static final Set<String> SPARK_ENV = Set.of("SPARK_APPLICATION_ID", "SPARK_DRIVER_BIND_ADDRESS",
      "SPARK_CONF_DIR", "SPARK_LOCAL_DIRS", "SPARK_DRIVER_URL", "SPARK_EXECUTOR_ID",
      "SPARK_EXECUTOR_CORES", "SPARK_EXECUTOR_MEMORY", "SPARK_EXECUTOR_POD_IP",
      "SPARK_EXECUTOR_POD_NAME", "SPARK_RESOURCE_PROFILE_ID", "SPARK_USER");

  /** The names of a job's env entries (job, driver, executor) that Spark sets itself. */
  static void checkEnv(Checks c, JobDescription job) {
    Map<String, Map<String, String>> envs = Map.of("env", job.env(), "driver.env",
        job.driver().env(), "executor.env", job.executor().env());
    envs.forEach((attribute, env) -> env.keySet().forEach(k -> c.require(!SPARK_ENV.contains(k)
        && !k.startsWith("SPARK_JAVA_OPT_"), attribute, k, "is set by Spark in its pods"
            + (k.equals("SPARK_USER") ? "; use sparkUser(name)" : "; choose another name"))));
  }

  /** Checks the user's {@code sparkConf} entries; each problem is named {@code sparkConf[key]}. */
  static void check(Checks c, Map<String, String> conf) {
    conf.forEach((k, v) -> {
      String at = "sparkConf[" + k + "]";
      if (k.equals("spark.") || k.endsWith(".")) {
        c.fail("sparkConf", k, "names no setting: a key is spark.<name>, such as"
            + " spark.sql.shuffle.partitions");
      } else if (k.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '=' || ch == ':')) {
        c.fail("sparkConf", k, "a key has no spaces, '=' or ':' (keys look like"
            + " spark.sql.shuffle.partitions)");
      }
      OWNED_PREFIXES.forEach((prefix, attribute) -> {
        if (k.startsWith(prefix)) {
          c.fail("sparkConf", k, "is set by the SDK; use " + attribute + " instead");
        }
      });
      if (k.equals("spark.authenticate.secret")) {
        c.fail("sparkConf", k, "would write the key into the driver's ConfigMap and the executors'"
            + " pod specs; use authenticationSecret(secretName)");
      }
      if (PORT_KEYS.contains(k)) {
        c.require(port(v) > 0, at, v, "must be a port number from 1 to 65535");
      } else if (MEMORY_KEYS.contains(k)) {
        c.sparkMemory(at, v);
      } else if (FACTOR_KEYS.contains(k)) {
        c.require(factor(v) > 0, at, v, "must be a number greater than 0 and at most 100,"
            + " such as 0.1");
      } else if (CORES_KEYS.contains(k)) {
        c.require(positiveInt(v) > 0, at, v, "must be a whole number of cores, at least 1");
      } else if (CPU_KEYS.contains(k)) {
        c.cpuQuantity(at, v);
      } else if (k.equals("spark.kubernetes.driver.scheduler.name")
          || k.equals("spark.kubernetes.scheduler.name")
          || k.equals("spark.kubernetes.executor.scheduler.name")) {
        c.dnsSubdomain(at, v);
      } else if (k.equals("spark.kubernetes.driver.service.ipFamilyPolicy")) {
        c.require(IP_FAMILY_POLICIES.contains(v), at, v,
            "must be SingleStack, PreferDualStack or RequireDualStack");
      } else if (k.equals("spark.kubernetes.driver.service.ipFamilies")) {
        List<String> families = List.of(v.split(",", -1));
        c.require(families.stream().allMatch(f -> f.equals("IPv4") || f.equals("IPv6"))
            && new HashSet<>(families).size() == families.size(), at, v,
            "must be IPv4, IPv6 or both, comma-separated");
      } else if (k.equals("spark.local.dir")) {
        for (String dir : v.split(",", -1)) {
          c.require(dir.startsWith("/") && !dir.contains(":") && dir.indexOf('\0') < 0, at, v,
              "must be absolute paths without ':', comma-separated");
        }
      }
      for (String prefix : LABEL_PREFIXES) {
        if (k.startsWith(prefix)) {
          String key = k.substring(prefix.length());
          c.labels("sparkConf[" + prefix + "*]", Map.of(key, v));
          if (prefix.endsWith(".label.") && !prefix.contains("service")
              && RoleChecks.RESERVED_LABELS.contains(key)) {
            c.fail("sparkConf", k, "is a label Spark sets itself; choose another key");
          }
        }
      }
      for (String prefix : ANNOTATION_PREFIXES) {
        if (k.startsWith(prefix)) {
          c.qualifiedName("sparkConf", k.substring(prefix.length()));
        }
      }
      for (String prefix : ENV_PREFIXES) {
        if (k.startsWith(prefix)) {
          c.envName("sparkConf", k.substring(prefix.length()));
        }
      }
      for (String role : List.of("driver", "executor")) {
        String prefix = "spark." + role + ".resource.";
        if (k.startsWith(prefix) && k.endsWith(".vendor")) {
          String name = k.substring(prefix.length(), k.length() - ".vendor".length());
          c.qualifiedName(at, v + "/" + name);
          String amount = conf.get(prefix + name + ".amount");
          c.require(amount != null && positiveInt(amount) > 0, "sparkConf[" + prefix + name
              + ".amount]", amount, "must be a whole number of at least 1 when a vendor is set"
              + " (it becomes the limit " + v + "/" + name + ")");
        }
      }
    });
  }

  /**
   * Rules across keys, on the conf in effect (typed attributes and {@code sparkConf} together):
   * the driver's ports are distinct, CPU requests do not exceed limits, memory fits.
   */
  static void checkEffective(Checks c, Map<String, String> conf, int sparkMajor, boolean python) {
    int driverPort = port(conf, "spark.driver.port", ConfValues.DEFAULT_DRIVER_PORT);
    int serviceBlockManager = port(conf, "spark.driver.blockManager.port",
        ConfValues.DEFAULT_BLOCK_MANAGER_PORT);
    int blockManager = port(conf, "spark.driver.blockManager.port",
        port(conf, "spark.blockManager.port", ConfValues.DEFAULT_BLOCK_MANAGER_PORT));
    int ui = port(conf, "spark.ui.port", ConfValues.DEFAULT_UI_PORT);
    int connect = port(conf, "spark.connect.grpc.binding.port", ConfValues.DEFAULT_CONNECT_PORT);
    boolean connectToo = sparkMajor >= 4;
    if (driverPort >= 0 && blockManager >= 0 && serviceBlockManager >= 0 && ui >= 0
        && (!connectToo || connect >= 0)
        && (clash(driverPort, blockManager, ui, connectToo ? connect : -1)
            || clash(driverPort, serviceBlockManager, ui, connectToo ? connect : -1))) {
      c.fail("sparkConf", "ports " + (connectToo
              ? List.of(driverPort, blockManager, ui, connect) : List.of(driverPort, blockManager, ui)),
          "the driver's RPC, block manager, UI" + (connectToo ? " and Spark Connect" : "")
              + " ports must differ");
    }
    for (JobLimits.RoleKeys role : JobLimits.ROLES) {
      String limit = conf.get(role.limitCores());
      if (limit == null) {
        continue; // the common case: no limit, nothing to parse
      }
      String request = conf.getOrDefault(role.requestCores(), conf.getOrDefault(role.cores(), "1"));
      BigDecimal r = quantity(request);
      BigDecimal l = quantity(limit);
      if (r != null && l != null && r.compareTo(l) > 0) {
        c.fail(role.name() + ".coreLimit", limit, "must be at least the CPU request (" + request + ")");
      }
    }
    long memory = Checks.sparkMemoryMib(conf.getOrDefault("spark.driver.memory", "1g"));
    double factor = factor(conf.getOrDefault("spark.driver.memoryOverheadFactor",
        conf.getOrDefault("spark.kubernetes.memoryOverheadFactor", python ? "0.4" : "0.1")));
    long min = Checks.sparkMemoryMib(conf.getOrDefault("spark.driver.minMemoryOverhead", "384m"));
    String explicit = conf.get("spark.driver.memoryOverhead");
    long overhead = explicit == null ? -2 : Checks.sparkMemoryMib(explicit);
    if (memory > 0 && factor > 0 && min >= 0 && overhead != -1) {
      long total = Checks.memoryWithOverheadMib(memory, factor, min, overhead);
      c.require(total <= Checks.MAX_MEMORY_MIB, "driver.memory", memory + "m + overhead",
          "memory with overhead must be at most 1024p");
    }
  }

  /** The port {@code key} sets (-1 when it is not one), or {@code otherwise} when unset. */
  private static int port(Map<String, String> conf, String key, int otherwise) {
    String v = conf.get(key);
    return v == null ? otherwise : port(v);
  }

  /** A port from 1 to 65535, or -1. */
  static int port(String v) {
    int p = positiveInt(v);
    return p <= 65535 ? p : -1;
  }

  /** A whole number of at least 1, or -1. */
  static int positiveInt(String v) {
    try {
      int n = Integer.parseInt(v.trim());
      return n >= 1 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether two of the ports are equal; {@code d} of -1 is left out. */
  private static boolean clash(int a, int b, int u, int d) {
    return a == b || a == u || b == u || (d >= 0 && (d == a || d == b || d == u));
  }

  /** A finite factor in (0, 100], or -1. */
  static double factor(String v) {
    try {
      double f = Double.parseDouble(v.trim());
      return f > 0 && f <= 100 ? f : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static BigDecimal quantity(String v) {
    try {
      return Quantities.parse(v).getNumber();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
