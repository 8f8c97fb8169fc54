package io.sparkk8s.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binder on the test kit: counts from the client, durations from the handle's metrics. */
class SparkK8sMetricsTest {
  static SparkJob job(String name) {
    return SparkJob.builder().name(name).namespace("jobs")
        .application(Application.jvm("a.B", "local:///opt/a.jar")).build();
  }

  @Test
  void exportsCountsAndTheDurationsOfTrackedJobs() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      SparkK8sMetrics metrics = new SparkK8sMetrics(spark);
      metrics.bindTo(registry);
      SparkJobHandle ok = metrics.track(spark.submit(job("ok")));
      metrics.track(spark.submit(job("bad")));
      Instant t0 = Instant.parse("2026-11-23T22:00:00Z");
      spark.job(ok.name()).metrics(JobMetrics.of(t0, t0.plusSeconds(2), t0.plusSeconds(5),
          t0.plusSeconds(9), t0.plusSeconds(65))).running().succeed();
      spark.jobs().get(1).running().fail(3, "Error");

      assertThat(registry.get("sparkk8s.jobs.submitted").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("sparkk8s.jobs.succeeded").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("sparkk8s.jobs.failed").functionCounter().count()).isEqualTo(1);
      var running = registry.get("sparkk8s.job.time.to.running").tag("outcome", "succeeded").timer();
      assertThat(running.count()).isEqualTo(1);
      assertThat(running.totalTime(TimeUnit.SECONDS)).isEqualTo(5);
      assertThat(registry.get("sparkk8s.job.run.time").tag("outcome", "succeeded").timer()
          .totalTime(TimeUnit.SECONDS)).isEqualTo(60);
      assertThat(registry.get("sparkk8s.job.time.to.first.executor").timer()
          .totalTime(TimeUnit.SECONDS)).isEqualTo(9);
      assertThat(registry.find("sparkk8s.job.total.time").tag("outcome", "failed").timer())
          .as("the failed job ran: it has a total time").isNotNull();
    }
  }

  @Test
  void aTrackedJobsProgressIsAGaugeWhileItRunsAndGoneAtItsEnd() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      SparkK8sMetrics metrics = new SparkK8sMetrics(spark);
      metrics.bindTo(registry);
      SparkJobHandle pi = metrics.track(spark.submit(job("pi")));
      assertThat(registry.get("sparkk8s.job.tasks.completed").tag("job", pi.name()).gauge().value())
          .as("no reading yet").isNaN();
      spark.onlyJob().running().progress(new io.sparkk8s.SparkProgress(Instant.now(), 1, 0, 0, 1,
          2, 0, 4, 250, 1, 1000, 3, 0, 0, 0));
      assertThat(registry.get("sparkk8s.job.tasks.completed").tag("job", pi.name()).gauge().value())
          .isEqualTo(250);
      assertThat(registry.get("sparkk8s.job.tasks.total").gauge().value()).isEqualTo(1000);
      assertThat(registry.get("sparkk8s.job.executors").gauge().value()).isEqualTo(3);
      assertThat(registry.get("sparkk8s.job.stages.completed").gauge().value()).isEqualTo(2);
      spark.onlyJob().succeed();
      assertThat(registry.find("sparkk8s.job.tasks.completed").gauges())
          .as("removed at the end: gauges only for running jobs").isEmpty();
    }
  }
}
