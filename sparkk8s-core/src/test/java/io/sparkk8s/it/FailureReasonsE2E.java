package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.FailureReport;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.ImagePullPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes' reason reaches the handle when a driver cannot start: an image that the registry
 * will not give ends FAILED with {@code ImagePullBackOff} (after the kubelet's {@code
 * ErrImagePull}), with no start timeout set, instead of pending forever; its objects are deleted.
 * (A driver killed for memory ends FAILED with {@code OOMKilled}: {@code
 * SparkJobLifecycleE2E#exitCodeAndOomAreReported}.)
 */
@RealCluster
class FailureReasonsE2E {

  @Test
  void anImageTheRegistryRefusesEndsFailedWithTheKubeletsReason(ClusterConnection cluster,
      TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      long start = System.nanoTime();
      // Nothing listens on port 1 of the node: every pull is refused at once.
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "unpullable")
          .application(SparkJobLifecycleE2E.PI).image("127.0.0.1:1/sparkk8s/no-such-image:1")
          .imagePullPolicy(ImagePullPolicy.ALWAYS).build());
      assertThat(job.state().phase()).isNotEqualTo(JobPhase.FAILED);
      JobState end = job.awaitCompletion(Duration.ofMinutes(3));
      long seconds = (System.nanoTime() - start) / 1_000_000_000;
      System.out.printf("[E2E] unpullable image: %s after %d s%n", end, seconds);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(end.reason()).isIn("ImagePullBackOff", "ErrImagePull");
      assertThat(end.message()).contains("127.0.0.1:1/sparkk8s/no-such-image:1");

      CoreV1Api core = new CoreV1Api(cluster.client());
      await("objects of " + job.name() + " deleted").atMost(Duration.ofMinutes(2))
          .until(() -> core.listNamespacedPod(ns.name())
              .labelSelector("spark-app-selector=" + job.appId()).execute().getItems().isEmpty());

      // The diagnosis outlives the pod: the kubelet's events say what the pull got.
      FailureReport report = job.failureReport().orElseThrow();
      System.out.println("[E2E] failure report:\n" + report);
      assertThat(report.category()).isEqualTo(FailureReport.Category.IMAGE_PULL);
      assertThat(report.events()).anyMatch(e -> e.contains("127.0.0.1:1/sparkk8s/no-such-image:1"));
      assertThat(report.unavailable()).anyMatch(u -> u.contains("never started"));
    }
  }

  @Test
  void aMainClassThatIsNotInTheJarIsNamed(ClusterConnection cluster, TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "no-main")
          .application(io.sparkk8s.spec.Application.jvm("com.example.NoSuchMain",
              "local:///opt/spark/examples/jars/spark-examples.jar")).build());
      JobState end = job.awaitCompletion(Duration.ofMinutes(5));
      FailureReport report = job.failureReport().orElseThrow();
      System.out.println("[E2E] failure report:\n" + report);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(report.category()).isEqualTo(FailureReport.Category.DRIVER_EXCEPTION);
      assertThat(report.exception()).contains("java.lang.ClassNotFoundException");
      assertThat(report.exceptionMessage()).contains("com.example.NoSuchMain");
      assertThat(report.events()).as("oldest first").first().asString().startsWith("Scheduled:");
    }
  }

  @Test
  void aDriverThatThrowsIsDiagnosedFromItsLog(ClusterConnection cluster, TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      // SparkPi parses its argument as a number: "abc" makes its main throw.
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "bad-argument")
          .application(SparkJobLifecycleE2E.PI).addArgument("abc").build());
      JobState end = job.awaitCompletion(Duration.ofMinutes(5));
      FailureReport report = job.failureReport().orElseThrow();
      System.out.println("[E2E] failure report:\n" + report);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(report.category()).isEqualTo(FailureReport.Category.DRIVER_EXCEPTION);
      assertThat(report.exception()).contains("java.lang.NumberFormatException");
      assertThat(report.exceptionMessage()).hasValueSatisfying(m -> assertThat(m).contains("abc"));
      assertThat(report.logTail()).isNotEmpty();
      assertThat(report.events()).anyMatch(e -> e.startsWith("Started:"));
      assertThat(report.unavailable()).isEmpty();
    }
  }

  /**
   * An executor the kernel kills for memory (issue 21): its one task allocates native memory past
   * the container's limit, the executor exits 137, Spark fails the job (one task failure allowed),
   * and the report says memory, not a bare exception.
   */
  @Test
  void anExecutorKilledForMemoryIsDiagnosedAsOutOfMemory(ClusterConnection cluster,
      TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "eat-executor-memory")
          .executor(io.sparkk8s.spec.Executor.builder().instances(1).memory("512m")
              .coreRequest("100m").build())
          .application(io.sparkk8s.spec.Application.jvm("io.sparkk8s.e2e.EatExecutorMemory",
              SparkJobLifecycleE2E.TEST_JAR))
          .putSparkConf("spark.task.maxFailures", "1")
          .build());
      JobState end = job.awaitCompletion(Duration.ofMinutes(5));
      FailureReport report = job.failureReport().orElseThrow();
      System.out.println("[E2E] executor OOM failure report:\n" + report);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(report.category()).isEqualTo(FailureReport.Category.OUT_OF_MEMORY);
      assertThat(report.exceptionMessage()).hasValueSatisfying(m -> assertThat(m)
          .contains("ExecutorLostFailure").contains("exit code 137"));
    }
  }
}
