package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * Gang scheduling of a job's driver and executors by Volcano or Apache YuniKorn: the scheduler
 * places the job only when the driver and at least {@link #minExecutors()} executors fit at once,
 * so that the executors of one job are not left half-scheduled while another job holds the rest
 * of the cluster. Set it with {@link SparkJob#gangScheduling()}; the scheduler must be installed
 * in the cluster (see the site's "Gang scheduling" page for each scheduler's own install steps).
 *
 * <pre>{@code
 * SparkJob job = SparkJob.builder().name("etl").application(app)
 *     .executor(Executor.builder().instances(8).memory("4g").build())
 *     .gangScheduling(GangScheduling.yunikorn().withQueue("root.spark").withMinExecutors(4)
 *         .withPlaceholderTimeout(Duration.ofMinutes(5)).withStyle(GangScheduling.Style.HARD))
 *     .build();
 * }</pre>
 *
 * <p><b>YuniKorn</b> is configured the way Spark's "Running on Kubernetes" guide and YuniKorn's
 * "Gang Scheduling" guide describe, with Spark conf only: {@code spark.kubernetes.scheduler.name},
 * the {@code queue} label and the {@code yunikorn.apache.org/app-id} annotation on driver and
 * executors, the {@code yunikorn.apache.org/task-groups} annotation on the driver (a
 * {@code spark-driver} group of one and a {@code spark-executor} group of
 * {@link #minExecutors()}, each with the pod's CPU and memory request as Spark computes them, its
 * node selector and tolerations), {@code yunikorn.apache.org/task-group-name} on each pod and
 * {@code yunikorn.apache.org/schedulingPolicyParameters} for the timeout and style. The
 * conformance suite checks that Spark's own submission code produces the same pods from it.
 *
 * <p><b>Volcano</b>: Spark's {@code VolcanoFeatureStep} creates a {@code scheduling.volcano.sh/v1beta1}
 * PodGroup named {@code <appId>-podgroup} before the driver and annotates the pods with
 * {@code scheduling.k8s.io/group-name}; but that step is only in Spark builds made with
 * {@code -Pvolcano}, not in the released {@code spark-kubernetes} jar nor the official
 * {@code apache/spark} image. So the SDK does the step's work itself: it creates the PodGroup
 * (queue, {@code minMember} = 1 + {@link #minExecutors()}, {@code minResources} = the driver's
 * plus that many executors' requests, the job's priority class), then the driver, then makes the
 * driver the PodGroup's owner (as Spark does with its pre-resources), so the PodGroup goes with
 * the job. The caller needs {@code create}, {@code patch} and {@code delete} on
 * {@code podgroups.scheduling.volcano.sh} in the job's namespace.
 */
@Value.Immutable
public abstract class GangScheduling {
  /** The task group of the driver in YuniKorn's task groups. */
  public static final String DRIVER_TASK_GROUP = "spark-driver";
  /** The task group of the executors in YuniKorn's task groups. */
  public static final String EXECUTOR_TASK_GROUP = "spark-executor";

  /**
   * A YuniKorn queue path: parts of letters, digits, '-' and '_' separated by single dots, starting
   * and ending with a letter or digit (it is also a label value).
   */
  private static final Pattern YUNIKORN_QUEUE =
      Pattern.compile("(?=[A-Za-z0-9])[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(?<=[A-Za-z0-9])");

  GangScheduling() {}

  /** The gang schedulers the SDK supports. */
  public enum Scheduler {
    /** Volcano ({@code volcano.sh}): a PodGroup per job. */
    VOLCANO("volcano"),
    /** Apache YuniKorn: task groups in pod annotations, placeholder pods. */
    YUNIKORN("yunikorn");

    private final String defaultName;

    Scheduler(String defaultName) {
      this.defaultName = defaultName;
    }

    /** The {@code schedulerName} the scheduler's standard install registers. */
    public String defaultName() {
      return defaultName;
    }
  }

  /** YuniKorn's {@code gangSchedulingStyle}: what happens when the gang cannot be placed in time. */
  public enum Style {
    /** Fall back to scheduling the pods one by one (YuniKorn's default). */
    SOFT("Soft"),
    /** Fail the application. */
    HARD("Hard");

    private final String value;

    Style(String value) {
      this.value = value;
    }

    /** The parameter's value as YuniKorn reads it. */
    public String value() {
      return value;
    }
  }

  /** A builder; {@link #scheduler()} is mandatory. */
  public static Builder builder() {
    return new Builder();
  }

  /** Gang scheduling by Volcano, in its default queue, with the job's executors as minimum. */
  public static GangScheduling volcano() {
    return builder().scheduler(Scheduler.VOLCANO).build();
  }

  /** Gang scheduling by YuniKorn, in the queue its placement rules choose. */
  public static GangScheduling yunikorn() {
    return builder().scheduler(Scheduler.YUNIKORN).build();
  }

  /** The builder of {@link GangScheduling}. */
  public static final class Builder extends ImmutableGangScheduling.Builder {
    Builder() {}
  }

  /** Which scheduler places the job's pods. */
  public abstract Scheduler scheduler();

  /**
   * The {@code schedulerName} of the pods when the scheduler runs under another name than its
   * default ({@code volcano}, {@code yunikorn}); see {@link #effectiveSchedulerName()}.
   */
  public abstract Optional<String> schedulerName();

  /** The scheduler name in effect: {@link #schedulerName()} or the scheduler's default. */
  public String effectiveSchedulerName() {
    return schedulerName().orElse(scheduler().defaultName());
  }

  /**
   * The queue: a Volcano {@code Queue} object's name, or a YuniKorn queue path such as
   * {@code root.spark}. Unset, Volcano uses its {@code default} queue and YuniKorn its placement
   * rules.
   */
  public abstract Optional<String> queue();

  /**
   * How many executors must fit together with the driver before any pod starts. Unset, it is the
   * job's {@code executor.instances} (Spark's default 2), or with dynamic allocation its
   * {@code minExecutors} (default 0); it must not exceed them ({@code maxExecutors} with dynamic
   * allocation).
   */
  public abstract Optional<Integer> minExecutors();

  /**
   * YuniKorn only: how long YuniKorn keeps the gang's placeholder pods waiting for the rest
   * ({@code placeholderTimeoutInSeconds}, whole seconds; YuniKorn's default is 15 minutes).
   */
  public abstract Optional<Duration> placeholderTimeout();

  /** YuniKorn only: {@code gangSchedulingStyle}; YuniKorn's default is {@link Style#SOFT}. */
  public abstract Optional<Style> style();

  /** A copy in this queue. */
  public abstract GangScheduling withQueue(String queue);

  /** A copy with this minimum of executors. */
  public abstract GangScheduling withMinExecutors(int minExecutors);

  /** A copy with this scheduler name. */
  public abstract GangScheduling withSchedulerName(String schedulerName);

  /** A copy with this placeholder timeout (YuniKorn only). */
  public abstract GangScheduling withPlaceholderTimeout(Duration placeholderTimeout);

  /** A copy with this style (YuniKorn only). */
  public abstract GangScheduling withStyle(Style style);

  @Value.Check
  void check() {
    Checks c = Checks.of("GangScheduling");
    schedulerName().ifPresent(n -> c.dnsSubdomain("gangScheduling.schedulerName", n));
    queue().ifPresent(q -> {
      if (scheduler() == Scheduler.VOLCANO) {
        // A Volcano queue is a cluster-scoped Queue object, named as any object.
        c.dnsSubdomain("gangScheduling.queue", q);
      } else {
        // YuniKorn reads it from the pod's queue label (label value rules) and splits it at '.'
        // into queue names (queue_config: letters, digits, '-', '_').
        c.require(q.length() <= Checks.LABEL_VALUE_MAX && YUNIKORN_QUEUE.matcher(q).matches(),
            "gangScheduling.queue", q, "must be a YuniKorn queue path such as root.spark: at most"
                + " 63 letters, digits, '-' and '_' in parts separated by single '.'");
      }
    });
    minExecutors().ifPresent(n -> c.require(n >= 0, "gangScheduling.minExecutors", n,
        "must not be negative"));
    if (scheduler() == Scheduler.VOLCANO) {
      placeholderTimeout().ifPresent(t -> c.fail("gangScheduling.placeholderTimeout", t,
          "is a YuniKorn setting; Volcano has no placeholders"));
      style().ifPresent(s -> c.fail("gangScheduling.style", s,
          "is a YuniKorn setting; Volcano always waits for the whole gang"));
    }
    placeholderTimeout().ifPresent(t -> c.require(t.getSeconds() >= 1 && t.getNano() == 0
        && t.getSeconds() <= Integer.MAX_VALUE, "gangScheduling.placeholderTimeout", t,
        "must be a positive whole number of seconds"));
    c.throwIfAny();
  }
}
