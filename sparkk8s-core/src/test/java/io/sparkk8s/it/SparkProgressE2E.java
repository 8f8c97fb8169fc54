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
 * total, and the handle reports nothing once the driver has ended; progress listeners are told
 * the same rise, changes only, none after the end; on every Spark line the SDK supports (issue 21:
 * 4.1 and 3.5).
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
    try (SparkKubernetes spark = SparkKubernetes.builder()
        .kubeconfig(cluster.kubeconfig(), java.util.Optional.empty())
        .progressInterval(Duration.ofMillis(500)).connect()) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "progress")
          .sparkVersion(version).application(SparkJobLifecycleE2E.PI).addArgument(String.valueOf(SLICES)).build());
      // The events, in the order the notification thread told them: progress, then the end.
      List<Object> told = new CopyOnWriteArrayList<>();
      job.addProgressListener((j, p) -> told.add(p));
      job.addListener((j, from, to) -> told.add(to.phase()));
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
      await("the end told").atMost(Duration.ofSeconds(10)).until(() -> told.contains(JobPhase.SUCCEEDED));
      List<SparkProgress> events = told.stream().filter(SparkProgress.class::isInstance)
          .map(SparkProgress.class::cast).toList();
      assertThat(told.get(told.size() - 1)).as("no progress event after the end")
          .isEqualTo(JobPhase.SUCCEEDED);
      assertThat(events).extracting(SparkProgress::completedTasks).as("events rise").isSorted();
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).sameFiguresAs(events.get(i - 1))).as("only changes are told")
            .isFalse();
      }
      List<Long> eventsBetween = events.stream().map(SparkProgress::completedTasks)
          .filter(n -> n > 0 && n < SLICES).distinct().toList();
      assertThat(eventsBetween).as("progress events between none and all tasks done")
          .hasSizeGreaterThanOrEqualTo(3);
      System.out.printf("[E2E] Spark %s: %d distinct progress readings, %d of them between none"
          + " and all tasks done; %d progress events, %d between; last: %s%n", version, seen.size(),
          between.size(), events.size(), eventsBetween.size(), seen.get(seen.size() - 1));
    }
  }
}
