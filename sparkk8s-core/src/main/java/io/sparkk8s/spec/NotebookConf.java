package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Map;

/**
 * Rules on a notebook's {@code sparkConf} ({@code spark-defaults.conf} of its in-pod driver): the
 * same as a {@link SparkJob}'s ({@link ConfChecks}: values of keys that become Kubernetes fields,
 * prefixes typed attributes own), one line per entry, and the keys the SDK sets for the notebook
 * refused, since a notebook's conf is applied last and would silently replace them.
 */
final class NotebookConf {
  /** Keys the SDK sets for every notebook, with what to use instead. */
  static final Map<String, String> OWNED = Map.ofEntries(
      Map.entry("spark.master", "(the cluster the notebook runs in)"),
      Map.entry("spark.submit.deployMode", "(always client, the driver runs in the notebook)"),
      Map.entry("spark.kubernetes.namespace", "the platform's namespace"),
      Map.entry("spark.kubernetes.container.image", "executorImage"),
      Map.entry("spark.driver.host", "(the notebook's driver Service)"),
      Map.entry("spark.driver.bindAddress", "(set by the SDK)"),
      Map.entry("spark.driver.port", "(7078, the port the driver Service opens)"),
      Map.entry("spark.driver.blockManager.port", "(7079, the port the driver Service opens)"),
      Map.entry("spark.ui.port", "(4040, the port the notebook pod opens)"),
      Map.entry("spark.kubernetes.executor.podTemplateFile",
          "(the SDK writes the executors' template)"),
      Map.entry("spark.kubernetes.driver.podTemplateFile", "(the driver is the notebook pod)"),
      Map.entry("spark.kubernetes.driver.pod.name", "(set to the notebook pod's name)"),
      Map.entry("spark.kubernetes.authenticate.driver.serviceAccountName",
          "(the notebook's own ServiceAccount)"),
      Map.entry("spark.kubernetes.authenticate.executor.serviceAccountName",
          "(the namespace's default)"),
      Map.entry("spark.executor.instances", "executor.instances"),
      Map.entry("spark.dynamicAllocation.enabled", "dynamicAllocation"));
  /** Counts Zeppelin passes on as JVM options: whole numbers only. */
  static final List<String> COUNT_KEYS = List.of("spark.dynamicAllocation.minExecutors",
      "spark.dynamicAllocation.maxExecutors", "spark.dynamicAllocation.initialExecutors");

  private NotebookConf() {}

  static void check(Checks c, Map<String, String> conf) {
    c.conf("sparkConf", conf);
    conf.forEach((k, v) -> {
      c.require(k.startsWith("spark."), "sparkConf", k, "keys must start with 'spark.'");
      if (OWNED.containsKey(k)) {
        c.fail("sparkConf", k, "is set by the SDK; use " + OWNED.get(k) + " instead");
      }
      if ((ConfChecks.MEMORY_KEYS.contains(k) || ConfChecks.CORES_KEYS.contains(k))
          && !v.matches("[A-Za-z0-9._-]*")) {
        // Spark trims these, but Zeppelin passes them on a JVM option line the shell splits.
        c.fail("sparkConf[" + k + "]", v, "must hold only letters, digits, '.', '_' and '-':"
            + " Zeppelin passes it in ZEPPELIN_JAVA_OPTS, which the shell splits on white space");
      }
      if (COUNT_KEYS.contains(k)) {
        c.require(v.matches("[0-9]{1,9}"), "sparkConf[" + k + "]", v,
            "must be a whole number of executors, at least 0");
      }
    });
    ConfChecks.check(c, conf);
  }
}
