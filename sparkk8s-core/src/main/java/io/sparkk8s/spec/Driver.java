package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * Resources and pod settings of a job's driver. Every attribute is optional; what is not set is
 * left to Spark's defaults (1 core, 1g of memory, overhead 10% with a 384m minimum).
 *
 * <pre>{@code
 * Driver driver = Driver.builder().cores(2).memory("4g").coreLimit("2500m")
 *     .putLabel("team", "data").build();
 * }</pre>
 */
@Value.Immutable
public abstract class Driver {
  Driver() {}

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Spark's defaults. */
  public static Driver defaults() {
    return builder().build();
  }

  /** The builder of {@link Driver}. */
  public static final class Builder extends ImmutableDriver.Builder {
    Builder() {}
  }

  /** {@code spark.driver.cores}: cores of the driver JVM. */
  public abstract Optional<Integer> cores();

  /** {@code spark.kubernetes.driver.request.cores}: the CPU request, as a Kubernetes quantity. */
  public abstract Optional<String> coreRequest();

  /** {@code spark.kubernetes.driver.limit.cores}: the CPU limit, as a Kubernetes quantity. */
  public abstract Optional<String> coreLimit();

  /** {@code spark.driver.memory}: heap of the driver JVM, as Spark writes sizes ({@code 4g}). */
  public abstract Optional<String> memory();

  /** {@code spark.driver.memoryOverhead}: non-heap memory, at least {@code 384m}. */
  public abstract Optional<String> memoryOverhead();

  /** Labels of the driver pod only ({@code spark.kubernetes.driver.label.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> labels();

  /** Annotations of the driver pod only ({@code spark.kubernetes.driver.annotation.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> annotations();

  /** Environment of the driver container only ({@code spark.kubernetes.driverEnv.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> env();

  /** Node selector of the driver pod only ({@code spark.kubernetes.driver.node.selector.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> nodeSelector();

  /** The attributes, with secret-looking conf and environment values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return attributes(Shown.of("Driver")).toString();
  }

  /** Writes the attributes into {@code s}: {@link #toString()}, or a part of a job's text. */
  Shown attributes(Shown s) {
    return s.add("cores", cores()).add("coreRequest", coreRequest())
        .add("coreLimit", coreLimit()).add("memory", memory())
        .add("memoryOverhead", memoryOverhead()).add("labels", labels())
        .conf("annotations", annotations()).conf("env", env()).add("nodeSelector", nodeSelector());
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("Driver");
    RoleChecks.check(c, "driver", cores(), coreRequest(), coreLimit(), memory(), memoryOverhead(),
        labels(), annotations(), env(), nodeSelector());
    c.throwIfAny();
  }
}
