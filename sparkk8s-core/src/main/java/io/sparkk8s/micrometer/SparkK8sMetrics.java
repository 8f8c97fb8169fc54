package io.sparkk8s.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle.ProgressListener;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exports a client's figures to Micrometer: job counts by outcome (from
 * {@link SparkKubernetes#jobCounts()}) and, for each job it is given, the durations of
 * {@link JobMetrics} when the job ends. Micrometer is an optional dependency of the SDK: only this
 * package needs it.
 *
 * <pre>{@code
 * SparkK8sMetrics metrics = new SparkK8sMetrics(spark);
 * metrics.bindTo(registry);
 * metrics.track(spark.submit(job));   // records its durations when it ends
 * }</pre>
 *
 * <p>Meters: {@code sparkk8s.jobs.submitted}, {@code sparkk8s.jobs.succeeded},
 * {@code sparkk8s.jobs.failed} (counters); timers {@code sparkk8s.job.time.to.scheduled},
 * {@code sparkk8s.job.time.to.running}, {@code sparkk8s.job.time.to.first.executor},
 * {@code sparkk8s.job.run.time} and {@code sparkk8s.job.total.time}, tagged {@code namespace} and
 * {@code outcome} ({@code succeeded} or {@code failed}). While a tracked job runs, Spark's own
 * progress as gauges tagged {@code namespace} and {@code job} (the driver pod): {@code
 * sparkk8s.job.tasks.completed}, {@code sparkk8s.job.tasks.total}, {@code sparkk8s.job.tasks.active},
 * {@code sparkk8s.job.tasks.failed}, {@code sparkk8s.job.stages.completed}, {@code
 * sparkk8s.job.executors}, fed by a {@link ProgressListener} and removed when the job ends, so a
 * service tracking jobs for months holds gauges only for those running.
 */
public final class SparkK8sMetrics implements MeterBinder {
  private final SparkKubernetes spark;
  private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();

  /** Metrics of {@code spark}; bind them with {@link #bindTo(MeterRegistry)}. */
  public SparkK8sMetrics(SparkKubernetes spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    registry.set(meters);
    FunctionCounter.builder("sparkk8s.jobs.submitted", spark, s -> s.jobCounts().submitted())
        .description("jobs submitted by this client").register(meters);
    FunctionCounter.builder("sparkk8s.jobs.succeeded", spark, s -> s.jobCounts().succeeded())
        .description("jobs this client saw succeed").register(meters);
    FunctionCounter.builder("sparkk8s.jobs.failed", spark, s -> s.jobCounts().failed())
        .description("jobs this client saw fail").register(meters);
  }

  /**
   * Records the job's durations when it ends and its progress as gauges while it runs; returns
   * the handle.
   */
  public SparkJobHandle track(SparkJobHandle job) {
    MeterRegistry meters = registry.get();
    AtomicReference<io.sparkk8s.SparkProgress> last = new AtomicReference<>();
    List<Meter> gauges = new ArrayList<>();
    if (meters != null) {
      Tags tags = Tags.of("namespace", job.namespace(), "job", job.name());
      gauge(meters, gauges, "sparkk8s.job.tasks.completed", tags, last, p -> p.completedTasks());
      gauge(meters, gauges, "sparkk8s.job.tasks.total", tags, last, p -> p.totalTasks());
      gauge(meters, gauges, "sparkk8s.job.tasks.active", tags, last, p -> p.activeTasks());
      gauge(meters, gauges, "sparkk8s.job.tasks.failed", tags, last, p -> p.failedTasks());
      gauge(meters, gauges, "sparkk8s.job.stages.completed", tags, last, p -> p.completedStages());
      gauge(meters, gauges, "sparkk8s.job.executors", tags, last, p -> p.activeExecutors());
      job.addProgressListener((j, p) -> last.set(p));
    }
    job.completion().thenAccept(end -> {
      gauges.forEach(g -> meters.remove(g)); // empty when unbound
      record(job, end);
    });
    return job;
  }

  private static void gauge(MeterRegistry meters, List<Meter> gauges, String name, Tags tags,
      AtomicReference<io.sparkk8s.SparkProgress> last,
      java.util.function.ToDoubleFunction<io.sparkk8s.SparkProgress> figure) {
    gauges.add(Gauge.builder(name, last, r -> r.get() == null ? Double.NaN
        : figure.applyAsDouble(r.get())).tags(tags).register(meters));
  }

  private void record(SparkJobHandle job, JobState end) {
    MeterRegistry meters = registry.get();
    if (meters == null) {
      return;
    }
    JobMetrics m = job.metrics();
    Tags tags = Tags.of("namespace", job.namespace(), "outcome",
        end.phase().name().toLowerCase(java.util.Locale.ROOT));
    time(meters, "sparkk8s.job.time.to.scheduled", tags, m.timeToScheduled());
    time(meters, "sparkk8s.job.time.to.running", tags, m.timeToRunning());
    time(meters, "sparkk8s.job.time.to.first.executor", tags, m.timeToFirstExecutor());
    time(meters, "sparkk8s.job.run.time", tags, m.runTime());
    time(meters, "sparkk8s.job.total.time", tags, m.totalTime());
  }

  private static void time(MeterRegistry meters, String name, Tags tags, Optional<Duration> d) {
    d.ifPresent(x -> Timer.builder(name).tags(tags).register(meters).record(x));
  }
}
