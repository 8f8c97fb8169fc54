package io.sparkk8s.conf;

import io.kubernetes.client.custom.Quantity;
import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.Quantities;
import java.util.Map;

/**
 * The CPU and memory a driver or an executor pod requests, computed from the conf as Spark does:
 * {@code BasicDriverFeatureStep} for the driver, {@code BasicExecutorFeatureStep} with
 * {@code ResourceProfile.getResourcesForClusterManager} for an executor. Gang schedulers reserve
 * exactly these, so that the reservation fits the pods that take it.
 */
public final class PodResources {
  private PodResources() {}

  /**
   * The overhead factor Spark applies when no role-specific one is given, and which the driver
   * passes on to executors as {@code spark.kubernetes.memoryOverheadFactor}: that key if set, else
   * 0.4 for Python and 0.1 for the JVM.
   */
  public static double defaultOverheadFactor(Map<String, String> conf, boolean python) {
    String set = conf.get("spark.kubernetes.memoryOverheadFactor");
    if (set != null) {
      return Double.parseDouble(set);
    }
    return python ? 0.4 : 0.1;
  }

  /** The CPU request of a {@code role} ("driver" or "executor") pod. */
  public static Quantity cpuRequest(Map<String, String> conf, String role) {
    return Quantities.parse(conf.getOrDefault("spark.kubernetes." + role + ".request.cores",
        conf.getOrDefault("spark." + role + ".cores", "1")));
  }

  /** Driver memory with overhead, in MiB: request and limit of the driver container. */
  public static long driverMemoryMib(Map<String, String> conf, boolean python) {
    return memoryWithOverheadMib(conf, "driver", python);
  }

  /**
   * Executor memory with overhead, in MiB: request and limit of each executor container. Adds
   * the PySpark worker memory of a Python application and the off-heap memory when enabled, as
   * {@code ResourceProfile} does.
   */
  public static long executorMemoryMib(Map<String, String> conf, boolean python) {
    long mib = memoryWithOverheadMib(conf, "executor", python);
    String pyspark = conf.get("spark.executor.pyspark.memory");
    if (python && pyspark != null) {
      mib += Checks.sparkMemoryMib(pyspark);
    }
    if (Boolean.parseBoolean(conf.getOrDefault("spark.memory.offHeap.enabled", "false"))) {
      mib += Checks.sparkMemoryMib(conf.getOrDefault("spark.memory.offHeap.size", "0"));
    }
    return mib;
  }

  private static long memoryWithOverheadMib(Map<String, String> conf, String role, boolean python) {
    long memory = Checks.sparkMemoryMib(conf.getOrDefault("spark." + role + ".memory", "1g"));
    String factorKey = "spark." + role + ".memoryOverheadFactor";
    double factor = conf.containsKey(factorKey) ? Double.parseDouble(conf.get(factorKey))
        : defaultOverheadFactor(conf, python);
    long minOverhead = Checks.sparkMemoryMib(conf.getOrDefault("spark." + role + ".minMemoryOverhead",
        Checks.MIN_MEMORY_OVERHEAD_MIB + "m"));
    String explicit = conf.get("spark." + role + ".memoryOverhead");
    return Checks.memoryWithOverheadMib(memory, factor, minOverhead,
        explicit != null ? Checks.sparkMemoryMib(explicit) : -1);
  }
}
