package io.sparkk8s.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.time.Duration;
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
 * {@code outcome} ({@code succeeded} or {@code failed}).
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

  /** Records the job's durations when it ends; returns the handle. */
  public SparkJobHandle track(SparkJobHandle job) {
    job.completion().thenAccept(end -> record(job, end));
    return job;
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
