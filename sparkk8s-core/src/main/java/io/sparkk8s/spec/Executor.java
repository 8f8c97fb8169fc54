package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * Resources and pod settings of each of a job's executors. Every attribute is optional; what is not set is
 * left to Spark's defaults (1 core, 1g of memory, overhead 10% with a 384m minimum, 2 instances).
 *
 * <pre>{@code
 * Executor executor = Executor.builder().instances(4).cores(2).memory("8g")
 *     .putLabel("team", "data").build();
 * }</pre>
 */
@Value.Immutable
public abstract class Executor {
  Executor() {}

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Spark's defaults. */
  public static Executor defaults() {
    return builder().build();
  }

  /** The builder of {@link Executor}. */
  public static final class Builder extends ImmutableExecutor.Builder {
    Builder() {}
  }

  /** {@code spark.executor.cores}: cores of each executor JVM (the tasks it runs at once). */
  public abstract Optional<Integer> cores();

  /**
   * {@code spark.executor.instances}: a fixed number of executors. Leave it unset when the job
   * uses {@link SparkJob#dynamicAllocation() dynamic allocation}.
   */
  public abstract Optional<Integer> instances();

  /** {@code spark.kubernetes.executor.request.cores}: the CPU request, as a Kubernetes quantity. */
  public abstract Optional<String> coreRequest();

  /** {@code spark.kubernetes.executor.limit.cores}: the CPU limit, as a Kubernetes quantity. */
  public abstract Optional<String> coreLimit();

  /** {@code spark.executor.memory}: heap of the executor JVM, as Spark writes sizes ({@code 4g}). */
  public abstract Optional<String> memory();

  /** {@code spark.executor.memoryOverhead}: non-heap memory, at least {@code 384m}. */
  public abstract Optional<String> memoryOverhead();

  /** Labels of the executor pod only ({@code spark.kubernetes.executor.label.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> labels();

  /** Annotations of the executor pod only ({@code spark.kubernetes.executor.annotation.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> annotations();

  /** Environment of the executor containers only ({@code spark.executorEnv.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> env();

  /** Node selector of the executor pod only ({@code spark.kubernetes.executor.node.selector.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> nodeSelector();

  /**
   * Whether executor pods get their ServiceAccount's API token mounted. Off by default: in cluster
   * mode executors never call the Kubernetes API (the driver creates and deletes them), and with
   * a token an executor running user code holds whatever its account may do. Without an
   * {@link SparkJob#executorServiceAccount() executor account} Spark falls back to the driver's,
   * which may create and delete pods.
   *
   * <p>Turn it on only for code in executors that calls the API itself, and then give the job an
   * {@code executorServiceAccount} with just the rights that code needs. With it on and no
   * executor account, executors run as the driver's account, as Spark does: every executor can
   * then create and delete pods in the namespace.
   */
  @Value.Default
  public boolean mountServiceAccountToken() {
    return false;
  }

  /** The attributes, with secret-looking conf and environment values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return attributes(Shown.of("Executor")).toString();
  }

  /** Writes the attributes into {@code s}: {@link #toString()}, or a part of a job's text. */
  Shown attributes(Shown s) {
    return s.add("cores", cores()).add("instances", instances())
        .add("coreRequest", coreRequest()).add("coreLimit", coreLimit()).add("memory", memory())
        .add("memoryOverhead", memoryOverhead()).add("labels", labels())
        .conf("annotations", annotations()).conf("env", env()).add("nodeSelector", nodeSelector())
        .add("mountServiceAccountToken", mountServiceAccountToken());
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("Executor");
    // spark-submit in the driver pod rejects 0 ("Number of executors must be a positive number").
    instances().ifPresent(n -> c.require(n >= 1, "executor.instances", n,
        "must be at least 1; for a job that scales to zero use dynamicAllocation"));
    RoleChecks.check(c, "executor", cores(), coreRequest(), coreLimit(), memory(), memoryOverhead(),
        labels(), annotations(), env(), nodeSelector());
    c.throwIfAny();
  }
}
