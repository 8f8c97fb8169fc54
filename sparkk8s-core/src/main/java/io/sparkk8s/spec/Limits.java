package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import org.immutables.value.Value;

/**
 * Caps a job is checked against at {@code build()}, so that a mistyped or hostile description
 * (a million executors, a {@code system-node-critical} driver) is refused with a clear message
 * instead of reaching the cluster. The defaults suit almost every job; a caller who means more
 * says so here.
 *
 * <pre>{@code
 * SparkJob big = SparkJob.builder().name("reindex").application(app)
 *     .executor(Executor.builder().instances(4000).build())
 *     .limits(Limits.builder().maxExecutors(5000).build())
 *     .build();
 * }</pre>
 *
 * <p>Limits the API server itself enforces (256 KiB of annotations per object, 1 MiB per
 * ConfigMap) are checked too, but cannot be raised.
 */
@Value.Immutable
public abstract class Limits {
  /** The most {@link #maxArgsAndEnvBytes()} may be raised to. */
  public static final int MAX_ARGS_AND_ENV_BYTES = 1024 * 1024;

  Limits() {}

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** 1,000 executors, 256 cores and 1 TiB per pod, 512 KiB of arguments and env, no system priority. */
  public static Limits defaults() {
    return builder().build();
  }

  /** The builder of {@link Limits}. */
  public static final class Builder extends ImmutableLimits.Builder {
    Builder() {}
  }

  /**
   * The most executors the job may ask for: {@code executor.instances}, and each of dynamic
   * allocation's counts. A dynamically allocated job with no {@code maxExecutors} gets this as its
   * maximum (Spark's own default is unbounded). 1,000 unless set.
   */
  @Value.Default
  public int maxExecutors() {
    return 1000;
  }

  /** The most cores of one driver or executor: its {@code cores}, CPU request and CPU limit. 256 unless set. */
  @Value.Default
  public int maxCoresPerPod() {
    return 256;
  }

  /**
   * The most memory of one driver or executor container, heap and overhead together, as a Spark
   * size. {@code 1t} unless set.
   */
  @Value.Default
  public String maxMemoryPerPod() {
    return "1t";
  }

  /**
   * The most bytes of a pod's arguments and environment ({@code NAME=value} per variable, UTF-8)
   * together. 512 KiB unless set, at most {@link #MAX_ARGS_AND_ENV_BYTES}: the whole pod must fit
   * etcd's 1.5 MiB request, and Linux gives a process's arguments and environment 2 MiB in all.
   */
  @Value.Default
  public int maxArgsAndEnvBytes() {
    return 512 * 1024;
  }

  /**
   * Whether the job may use the priority classes {@code system-node-critical} and
   * {@code system-cluster-critical}. Off: pods of those classes preempt anything, including the
   * cluster's own DNS and network agents.
   */
  @Value.Default
  public boolean allowSystemPriority() {
    return false;
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("Limits");
    c.require(maxExecutors() >= 1, "maxExecutors", maxExecutors(), "must be at least 1");
    c.require(maxCoresPerPod() >= 1, "maxCoresPerPod", maxCoresPerPod(), "must be at least 1");
    c.sparkMemory("maxMemoryPerPod", maxMemoryPerPod());
    c.require(maxArgsAndEnvBytes() >= 1 && maxArgsAndEnvBytes() <= MAX_ARGS_AND_ENV_BYTES,
        "maxArgsAndEnvBytes", maxArgsAndEnvBytes(), "must be from 1 to " + MAX_ARGS_AND_ENV_BYTES
            + " (etcd stores a pod in one request of at most 1.5 MiB)");
    c.throwIfAny();
  }
}
