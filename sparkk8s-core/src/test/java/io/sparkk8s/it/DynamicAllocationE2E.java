package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dynamic allocation seen working (issue 20): a job that starts with no executor (min 0, max 3,
 * shuffle tracking) gets three for a stage of twelve slow tasks, reuses that stage's shuffle in a
 * second action without running it again (the driver's REST API reports it SKIPPED), and gives
 * every executor back when idle. The handle's executor count goes 0, 3, 0.
 */
@RealCluster
class DynamicAllocationE2E {
  /** How long the job waits, idle, for its executors to be released. */
  private static final int IDLE_SECONDS = 90;

  @Test
  void executorsComeForAStageAndGoWhenIdleWhileTheShuffleIsReused(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String base = DepsServer.start(core, ns, "apache/spark:" + SparkImages.versions().get(0),
        Map.of("dynalloc.py", DepsServer.resource("dynalloc/dynalloc.py")));
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJob job = SparkJob.builder().name("dynalloc").namespace(ns.name()).serviceAccount("spark")
          .application(Application.python(base + "/dynalloc.py"))
          .addArguments(Integer.toString(IDLE_SECONDS))
          .driver(Driver.builder().memory("512m").coreRequest("100m").build())
          .executor(Executor.builder().memory("512m").coreRequest("100m").build())
          .dynamicAllocation(DynamicAllocation.builder().minExecutors(0).initialExecutors(0)
              .maxExecutors(3).executorIdleTimeout("5s").build())
          // Executors holding the shuffle are kept this long after their last task (shuffle
          // tracking; unset, they are kept as long as the shuffle is referenced).
          .putSparkConf("spark.dynamicAllocation.shuffleTracking.timeout", "15s")
          .putSparkConf("spark.dynamicAllocation.schedulerBacklogTimeout", "1s")
          .build();
      SparkJobHandle handle = spark.submit(job);
      // The executor count while the driver runs (an ended job counts none, whatever was left).
      List<Integer> counts = Collections.synchronizedList(new ArrayList<>());
      handle.addListener((h, from, to) -> {
        synchronized (counts) {
          if (to.phase() == JobPhase.RUNNING && (counts.isEmpty()
              || counts.get(counts.size() - 1) != to.liveExecutors())) {
            counts.add(to.liveExecutors());
          }
        }
      });
      JobState end = handle.awaitCompletion(Duration.ofMinutes(6));
      String log = core.readNamespacedPodLog(handle.name(), ns.name())
          .container("spark-kubernetes-driver").execute();
      List<String> steps = log.lines().filter(l -> l.startsWith("DA ")).toList();
      System.out.printf("[E2E] dynamic allocation: executors seen by the handle %s; %s%n", counts,
          steps);
      assertThat(end.phase()).as("final state %s; driver log:%n%s", end, log)
          .isEqualTo(JobPhase.SUCCEEDED);
      assertThat(steps).contains("DA first=10", "DA second=12000");
      assertThat(steps).as("the second action reused the first's shuffle")
          .contains("DA stages=COMPLETE,COMPLETE,COMPLETE,SKIPPED");
      // Released within the idle and shuffle-tracking timeouts (5 s, 15 s), with room for the
      // executors' shutdown.
      assertThat(steps).anySatisfy(s -> assertThat(s).matches("DA idle executors=0 after=[0-9]s"
          + "|DA idle executors=0 after=[1-3][0-9]s"));
      synchronized (counts) {
        assertThat(counts).as("executors while the driver ran").first().isEqualTo(0);
        assertThat(Collections.max(counts)).as("most executors at once").isEqualTo(3);
        int peak = counts.indexOf(3);
        assertThat(counts.subList(peak, counts.size())).as("after the peak, while running")
            .contains(0);
      }
    }
  }
}
