package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.SparkProgress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code handle.progress()} on a real SparkPi: Spark's own task counts, read from the driver's
 * REST API through the API server, rise while the job runs, name the job's executors, reach the
 * total, and the handle reports nothing once the driver has ended; on every Spark line the SDK
 * supports (issue 21: 4.1 and 3.5).
 */
@RealCluster
class SparkProgressE2E {
  static final int SLICES = 400;

  static List<String> versions() {
    return SparkImages.versions();
  }

  @ParameterizedTest(name = "Spark {0}")
  @MethodSource("versions")
  void progressFollowsSparksOwnTaskCountsToTheEnd(String version, ClusterConnection cluster,
      TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "progress")
          .sparkVersion(version).application(SparkJobLifecycleE2E.PI).addArgument(String.valueOf(SLICES)).build());
      List<SparkProgress> seen = new CopyOnWriteArrayList<>();
      await("SparkPi's tasks reported done").atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            if (job.state().phase().isFinal()) {
              return true;
            }
            job.progress().ifPresent(p -> {
              if (seen.isEmpty() || !seen.get(seen.size() - 1).toString().equals(p.toString())) {
                seen.add(p);
                System.out.println("[E2E] progress: " + p);
              }
            });
            return !seen.isEmpty() && seen.get(seen.size() - 1).completedTasks() == SLICES;
          });
      JobState end = job.awaitCompletion(Duration.ofMinutes(5));
      assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(seen).as("progress read while the driver ran").isNotEmpty();
      assertThat(seen).extracting(SparkProgress::completedTasks).isSorted();
      assertThat(seen).anySatisfy(p -> {
        assertThat(p.totalTasks()).isEqualTo(SLICES);
        assertThat(p.activeExecutors()).isBetween(1, 2);
      });
      List<Long> between = seen.stream().map(SparkProgress::completedTasks)
          .filter(n -> n > 0 && n < SLICES).distinct().toList();
      assertThat(between).as("distinct readings between none and all tasks done")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(job.progress()).as("no progress from an ended driver").isEmpty();
      System.out.printf("[E2E] Spark %s: %d distinct progress readings, %d of them between none"
          + " and all tasks done; last: %s%n", version, seen.size(), between.size(),
          seen.get(seen.size() - 1));
    }
  }
}
