package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The SDK's own lifecycle on the real cluster: submit, watch, logs, kill, delete, attach, scale. */
@RealCluster
class SparkJobLifecycleE2E {
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");
  /** Test programs baked into the local cluster's Spark image (scripts/local-k8s/images/spark). */
  static final String TEST_JAR = "local:///opt/spark/tests/jars/sparkk8s-e2e.jar";

  static SparkKubernetes connect(ClusterConnection cluster) {
    return SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty());
  }

  static SparkJob.Builder job(TestNamespace ns, String name) {
    return SparkJob.builder().name(name).namespace(ns.name()).serviceAccount("spark")
        .driver(Driver.builder().memory("512m").coreRequest("100m").build())
        .executor(Executor.builder().instances(2).memory("512m").coreRequest("100m").build());
  }

  @Test
  void sparkPiSucceedsOnTwoExecutorsAndTheHandleSeesEveryStep(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    try (SparkKubernetes spark = connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle pi = spark.submit(job(ns, "spark-pi").application(PI)
          .addArguments("4", "2000000").build());
      List<JobState> seen = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger maxExecutors = new AtomicInteger();
      pi.addListener((job, from, to) -> {
        if (seen.isEmpty()) {
          seen.add(from);
        }
        seen.add(to);
        maxExecutors.accumulateAndGet(to.liveExecutors(), Math::max);
      });
      String log;
      try (var in = new BufferedReader(new InputStreamReader(pi.driverLog(), StandardCharsets.UTF_8))) {
        log = in.lines().collect(Collectors.joining("\n"));
      }
      JobState end = pi.awaitCompletion(Duration.ofMinutes(8));
      System.out.println("[E2E] SparkPi states: " + seen);
      assertThat(end.phase()).as("final state; log:%n%s", log).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(end.exitCode()).contains(0);
      PiEstimate.assertNearPi(log);
      assertThat(seen.stream().map(JobState::phase).distinct().toList())
          .containsSubsequence(JobPhase.PENDING, JobPhase.RUNNING, JobPhase.SUCCEEDED);
      assertThat(maxExecutors.get()).as("live executors seen by the handle").isEqualTo(2);
    }
  }

  @Test
  void exitCodeAndOomAreReported(ClusterConnection cluster, TestNamespace ns) {
    try (SparkKubernetes spark = connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle exit3 = spark.submit(job(ns, "exit-three")
          .application(Application.jvm("io.sparkk8s.e2e.ExitWith", TEST_JAR)).addArgument("3").build());
      SparkJobHandle oom = spark.submit(job(ns, "oom")
          .application(Application.jvm("io.sparkk8s.e2e.EatMemory", TEST_JAR))
          // Direct memory is capped at the heap size by default: lift the cap so the container
          // limit, not the JVM, stops it.
          .putSparkConf("spark.driver.extraJavaOptions", "-XX:MaxDirectMemorySize=16g")
          .driver(Driver.builder().memory("512m").memoryOverhead("384m").coreRequest("100m").build())
          .build());
      JobState e = exit3.awaitCompletion(Duration.ofMinutes(5));
      JobState o = oom.awaitCompletion(Duration.ofMinutes(5));
      System.out.println("[E2E] exit job: " + e + "; memory job: " + o);
      assertThat(e.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(e.exitCode()).contains(3);
      assertThat(o.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(o.reason()).isEqualTo("OOMKilled");
    }
  }

  @Test
  void killEndsTheJobAndItsExecutorsAndDeleteLeavesNothing(ClusterConnection cluster, TestNamespace ns) {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle slow = spark.submit(job(ns, "slow").application(PI).addArgument("100000").build());
      await("two executors").atMost(Duration.ofMinutes(5))
          .until(() -> slow.state().liveExecutors() == 2);
      slow.kill();
      JobState end = slow.awaitCompletion(Duration.ofMinutes(2));
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(end.reason()).isEqualTo("Killed");
      await("executors gone").atMost(Duration.ofMinutes(2)).until(() -> core.listNamespacedPod(ns.name())
          .labelSelector("spark-app-selector=" + slow.appId() + ",spark-role=executor")
          .execute().getItems().isEmpty());

      SparkJobHandle other = spark.submit(job(ns, "to-delete").application(PI).addArgument("100000").build());
      await("running").atMost(Duration.ofMinutes(5)).until(() -> other.state().phase() == JobPhase.RUNNING);
      other.delete(Duration.ofMinutes(2));
      String sel = "spark-app-selector=" + other.appId();
      assertThat(core.listNamespacedPod(ns.name()).labelSelector(sel).execute().getItems()).isEmpty();
      assertThat(core.listNamespacedService(ns.name()).execute().getItems())
          .noneMatch(s -> s.getMetadata().getName().startsWith("to-delete-"));
      assertThat(core.listNamespacedConfigMap(ns.name()).execute().getItems())
          .noneMatch(c -> c.getMetadata().getOwnerReferences() != null && c.getMetadata()
              .getOwnerReferences().stream().anyMatch(r -> r.getName().startsWith("to-delete-")));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNewClientAttachesAndSeesTheEndAndARetriedSubmitMakesNoSecondDriver(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    SparkJob pi = job(ns, "attach-me").application(PI).addArguments("4", "2000000").build();
    String name;
    try (SparkKubernetes first = connect(cluster)) {
      first.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle h = first.submit(pi);
      name = h.name();
      SparkJobHandle again = first.submit(pi, OnConflict.ATTACH);
      assertThat(again.appId()).isEqualTo(h.appId());
    }
    try (SparkKubernetes second = connect(cluster)) {
      SparkJobHandle attached = second.attach(ns.name(), name);
      assertThat(second.list(ns.name(), "")).extracting(SparkJobHandle::name).containsExactly(name);
      assertThat(attached.awaitCompletion(Duration.ofMinutes(8)).phase()).isEqualTo(JobPhase.SUCCEEDED);
    }
    assertThat(new CoreV1Api(cluster.client()).listNamespacedPod(ns.name())
        .labelSelector("spark-role=driver").execute().getItems()).hasSize(1);
  }

  @Test
  void twentyJobsAtOnceAreTrackedByOneWatch(ClusterConnection cluster, TestNamespace ns) {
    try (SparkKubernetes spark = connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      List<SparkJobHandle> jobs = IntStream.range(0, 20).mapToObj(i -> spark.submit(
          job(ns, "many-" + i).application(Application.jvm("io.sparkk8s.e2e.ExitWith", TEST_JAR))
              .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
              .addArgument(Integer.toString(i % 3)).build())).toList();
      for (int i = 0; i < jobs.size(); i++) {
        JobState end = jobs.get(i).awaitCompletion(Duration.ofMinutes(10));
        assertThat(end.exitCode()).as("job %d: %s", i, end).contains(i % 3);
        assertThat(end.phase()).isEqualTo(i % 3 == 0 ? JobPhase.SUCCEEDED : JobPhase.FAILED);
      }
    }
  }
}
