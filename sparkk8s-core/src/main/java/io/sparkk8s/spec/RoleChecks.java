package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules Driver and Executor share; {@code role} prefixes each attribute name. */
final class RoleChecks {
  /** Labels Spark sets itself and refuses from users ({@code Constants.scala}). */
  static final Set<String> RESERVED_LABELS = Set.of(
      "spark-app-selector", "spark-role", "spark-app-name", "spark-version", "spark-exec-id",
      "spark-exec-resourceprofile-id", "spark-exec-inactive");

  private RoleChecks() {}

  static void check(Checks c, String role, Optional<Integer> cores, Optional<String> coreRequest,
      Optional<String> coreLimit, Optional<String> memory, Optional<String> memoryOverhead,
      Map<String, String> labels, Map<String, String> annotations, Map<String, String> env,
      Map<String, String> nodeSelector) {
    cores.ifPresent(n -> c.require(n > 0, role + ".cores", n, "must be at least 1"));
    coreRequest.ifPresent(q -> c.cpuQuantity(role + ".coreRequest", q));
    coreLimit.ifPresent(q -> c.cpuQuantity(role + ".coreLimit", q));
    memory.ifPresent(m -> c.sparkMemory(role + ".memory", m));
    memoryOverhead.ifPresent(m -> {
      long mib = c.sparkMemory(role + ".memoryOverhead", m);
      if (mib > 0) {
        c.require(mib >= Checks.MIN_MEMORY_OVERHEAD_MIB, role + ".memoryOverhead", m,
            "must be at least " + Checks.MIN_MEMORY_OVERHEAD_MIB
                + "m, Spark's minimum overhead for a JVM in a container");
      }
    });
    checkLabels(c, role + ".labels", labels);
    c.annotations(role + ".annotations", annotations);
    env.keySet().forEach(k -> c.envName(role + ".env", k));
    c.labels(role + ".nodeSelector", nodeSelector);
  }

  static void checkLabels(Checks c, String attribute, Map<String, String> labels) {
    c.labels(attribute, labels);
    labels.keySet().stream().filter(RESERVED_LABELS::contains).forEach(k -> c.fail(attribute, k,
        "is a label Spark sets itself; choose another key"));
    if (labels.containsKey(SparkJob.TENANT_LABEL)) {
      c.fail(attribute, SparkJob.TENANT_LABEL, "is set by SparkJob.tenant(...); set it there");
    }
  }
}
