package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job that fails twice then succeeds (a PySpark driver counting its runs in a file on a
 * PersistentVolume that outlives its pods) ends SUCCEEDED on attempt 3, each attempt its own
 * driver, with the policy's backoff between the end of one attempt and the creation of the next,
 * as the API server recorded them. In the second test the caller's client is closed during a
 * backoff and a new one holding the same record key attaches: the count is not reset.
 */
@RealCluster
class RetryPolicyE2E {
  /** Counts its runs in /data/count; fails until the third. */
  static final String FLAKY = String.join("\n",
      "import os, sys",
      "p = '/data/count'",
      "n = int(open(p).read()) if os.path.exists(p) else 0",
      "n += 1",
      "open(p, 'w').write(str(n))",
      "print('flaky: run %d' % n, flush=True)",
      "sys.exit(0 if n >= 3 else 1)",
      "");
  static final Duration BACKOFF = Duration.ofSeconds(8);
  static final Duration RETAIN = Duration.ofSeconds(20);

  @Test
  void aJobThatFailsTwiceSucceedsOnItsThirdAttemptAfterBackoffs(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String pv = flakyVolume(core, ns);
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJob job = flakyJob(ns, BACKOFF).withRetention(Retention.deleteAfter(RETAIN));
      SparkJobHandle h = spark.submit(job);
      JobState end = h.awaitCompletion(Duration.ofMinutes(4));
      System.out.println("[E2E] retried job: " + end + "; attempts: " + h.attempts());
      assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(h.attempt()).isEqualTo(3);
      assertEndedAsScripted(h, job.retryPolicy().orElseThrow(), core, ns);

      // Retention of a retried job: every attempt and the record go together once it ended.
      String jobId = h.attempts().get(0).appId();
      await("attempts and record deleted after the retention").atMost(RETAIN.plusSeconds(60))
          .until(() -> core.listNamespacedPod(ns.name()).labelSelector("sparkk8s.io/job-id="
              + jobId).execute().getItems().isEmpty()
              && core.listNamespacedConfigMap(ns.name()).labelSelector("sparkk8s.io/job-id="
              + jobId).execute().getItems().isEmpty());
      assertThat(core.listNamespacedPod(ns.name()).labelSelector("spark-role=executor").execute()
          .getItems()).isEmpty();
    } finally {
      core.deletePersistentVolume(pv).execute();
    }
  }

  @Test
  void aNewClientAttachingDuringTheBackoffContinuesTheCount(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String pv = flakyVolume(core, ns);
    String firstDriver;
    SparkJob job = flakyJob(ns, Duration.ofSeconds(20));
    // Both clients hold the key that seals the job's record: without it the second one would
    // follow the job read only (a record is data anyone in the namespace can write).
    io.sparkk8s.RecordKey key = PlantedRecordsE2E.KEY;
    try {
      try (SparkKubernetes first = PlantedRecordsE2E.withKey(cluster, key)) {
        first.ensureDriverServiceAccount(ns.name(), "spark");
        // A long first backoff, so the restart surely falls inside it.
        SparkJobHandle h = first.submit(job);
        firstDriver = h.name();
        await("attempt 1 ended, attempt 2 waiting").atMost(Duration.ofMinutes(3))
            .until(() -> h.state().reason().equals("RetryBackoff"));
        assertThat(h.attempt()).isEqualTo(1);
      }
      // The caller restarted: nothing of attempt 2 may exist yet, and the new client finds
      // attempt 1 on the cluster and goes on with attempt 2, not a new attempt 1.
      assertThat(core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
          .getItems()).hasSize(1);
      try (SparkKubernetes second = PlantedRecordsE2E.withKey(cluster, key)) {
        SparkJobHandle h = second.attach(ns.name(), firstDriver);
        assertThat(h.attempts()).first().satisfies(a -> {
          assertThat(a.number()).isEqualTo(1);
          assertThat(a.state().exitCode()).contains(1);
        });
        JobState end = h.awaitCompletion(Duration.ofMinutes(4));
        System.out.println("[E2E] attached job: " + end + "; attempts: " + h.attempts());
        assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
        assertThat(h.attempt()).isEqualTo(3);
        assertEndedAsScripted(h, job.retryPolicy().orElseThrow(), core, ns);
      }
    } finally {
      core.deletePersistentVolume(pv).execute();
    }
  }

  /**
   * Attempts 1 and 2 failed with exit 1, 3 succeeded; each is its own labelled driver whose log
   * says which run it was; every next driver was created no sooner than the previous one's end
   * (the kubelet's time on the server) plus the policy's backoff, and not much later.
   */
  /**
   * A submission the API server refuses (a ResourceQuota allowing no pods: 403 "exceeded quota")
   * is a submission failure, retried by the policy after its backoff; once the quota allows the
   * driver, the next attempt runs and succeeds.
   */
  @Test
  void aSubmissionRefusedByAQuotaIsRetriedAndSucceedsOnceTheQuotaAllowsIt(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    core.createNamespacedResourceQuota(ns.name(), new V1ResourceQuota()
        .metadata(new V1ObjectMeta().name("no-pods"))
        .spec(new V1ResourceQuotaSpec().scopeSelector(null)
            .hard(Map.of("pods", Quantity.fromString("0"))))).execute();
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJob job = SparkJobLifecycleE2E.job(ns, "quota").application(SparkJobLifecycleE2E.PI)
          .addArguments("2")
          .executor(io.sparkk8s.spec.Executor.builder().instances(1).memory("512m")
              .coreRequest("100m").build())
          .retryPolicy(RetryPolicy.onFailure(3).withInitialBackoff(Duration.ofSeconds(20))
              .withJitter(0.0))
          .build();
      SparkJobHandle h = spark.submit(job); // a refused first attempt does not throw: it is retried
      await("attempt 1 refused").atMost(Duration.ofMinutes(1))
          .until(() -> !h.attempts().isEmpty() && h.attempts().get(0).ended());
      JobAttempt first = h.attempts().get(0);
      System.out.println("[E2E] refused attempt: " + first);
      assertThat(first.state().reason()).isEqualTo("SubmissionFailed");
      assertThat(first.state().message()).contains("exceeded quota");
      assertThat(first.outcome()).contains(RetryPolicy.Outcome.SUBMISSION_FAILURE);
      assertThat(core.listNamespacedPod(ns.name()).execute().getItems()).isEmpty();

      core.deleteNamespacedResourceQuota("no-pods", ns.name()).execute();
      JobState end = h.awaitCompletion(Duration.ofMinutes(4));
      System.out.println("[E2E] after the quota was lifted: " + end + "; attempts " + h.attempts());
      assertThat(end.phase()).as("end %s", end).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(h.attempt()).isEqualTo(2);
      V1Pod driver = core.readNamespacedPod(h.attempts().get(1).driverPodName(), ns.name()).execute();
      Duration gap = Duration.between(first.endedAt().orElseThrow(),
          driver.getMetadata().getCreationTimestamp().toInstant());
      assertThat(gap).as("backoff between the refusal and attempt 2")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(19)).isLessThan(Duration.ofSeconds(40));
    }
  }

  private static void assertEndedAsScripted(SparkJobHandle h, RetryPolicy policy, CoreV1Api core,
      TestNamespace ns) throws ApiException {
    List<JobAttempt> attempts = h.attempts();
    assertThat(attempts).extracting(JobAttempt::number).containsExactly(1, 2, 3);
    assertThat(attempts).extracting(a -> a.state().phase())
        .containsExactly(JobPhase.FAILED, JobPhase.FAILED, JobPhase.SUCCEEDED);
    assertThat(attempts.get(0).state().exitCode()).contains(1);
    assertThat(attempts.get(1).outcome()).contains(RetryPolicy.Outcome.APPLICATION_FAILURE);
    List<V1Pod> drivers = core.listNamespacedPod(ns.name())
        .labelSelector("spark-role=driver,sparkk8s.io/job-id=" + attempts.get(0).appId())
        .execute().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getLabels().get("sparkk8s.io/attempt")))
        .toList();
    assertThat(drivers).extracting(p -> p.getMetadata().getName())
        .containsExactlyElementsOf(attempts.stream().map(JobAttempt::driverPodName).toList());
    for (int i = 0; i < 3; i++) {
      V1Pod d = drivers.get(i);
      assertThat(d.getMetadata().getLabels()).containsEntry("sparkk8s.io/attempt", "" + (i + 1))
          .containsEntry("spark-app-selector", attempts.get(i).appId());
      String log = core.readNamespacedPodLog(d.getMetadata().getName(), ns.name()).execute();
      assertThat(log).contains("flaky: run " + (i + 1));
    }
    for (int i = 0; i < 2; i++) {
      Instant ended = drivers.get(i).getStatus().getContainerStatuses().get(0).getState()
          .getTerminated().getFinishedAt().toInstant();
      Instant nextCreated = drivers.get(i + 1).getMetadata().getCreationTimestamp().toInstant();
      assertThat(attempts.get(i).endedAt()).contains(ended);
      Duration gap = Duration.between(ended, nextCreated);
      System.out.println("[E2E] attempt " + (i + 1) + " ended " + ended + ", attempt " + (i + 2)
          + " created " + nextCreated + ": gap " + gap);
      // The jitter is drawn from the ended attempt's id, so the wait is known exactly; both
      // times are whole seconds on the server, so allow one second of rounding, and ten for the
      // client to create the next driver.
      Duration backoff = policy.backoffAfter(i + 1, attempts.get(i).appId());
      assertThat(gap).as("gap after attempt %d (backoff %s)", i + 1, backoff)
          .isGreaterThanOrEqualTo(backoff.minusSeconds(1))
          .isLessThan(backoff.plusSeconds(10));
    }
  }

  static SparkJob flakyJob(TestNamespace ns, Duration firstBackoff) {
    return SparkJobLifecycleE2E.job(ns, "flaky")
        .application(Application.python("local:///data/flaky.py"))
        .addVolume(Volume.persistentVolumeClaim("data", "flaky-data", "/data")
            .withMountOn(MountOn.DRIVER))
        .startTimeout(Duration.ofMinutes(2))
        .retryPolicy(RetryPolicy.onFailure(3).withInitialBackoff(firstBackoff).withJitter(0.2)
            .withMaxBackoff(firstBackoff.multipliedBy(3).dividedBy(2)))
        .build();
  }

  /**
   * A PersistentVolume on the node (the cluster has no dynamic provisioner) bound to claim
   * {@code flaky-data}, holding the script; a root pod writes it and opens the directory to the
   * Spark user. Returns the volume's name, to delete (volumes are not namespaced).
   */
  static String flakyVolume(CoreV1Api core, TestNamespace ns) throws ApiException {
    String pv = ns.name() + "-data";
    try {
      return writeFlakyVolume(core, ns, pv);
    } catch (ApiException | RuntimeException e) {
      // Volumes are not namespaced: one left behind would outlive the test's namespace.
      core.deletePersistentVolume(pv).execute();
      throw e;
    }
  }

  private static String writeFlakyVolume(CoreV1Api core, TestNamespace ns, String pv)
      throws ApiException {
    core.createPersistentVolume(new V1PersistentVolume()
        .metadata(new V1ObjectMeta().name(pv))
        .spec(new V1PersistentVolumeSpec()
            .capacity(Map.of("storage", new Quantity("10Mi")))
            .accessModes(List.of("ReadWriteOnce"))
            .storageClassName("")
            .persistentVolumeReclaimPolicy("Retain")
            .hostPath(new V1HostPathVolumeSource().path("/tmp/sparkk8s-it/" + ns.name())
                .type("DirectoryOrCreate"))
            .claimRef(new V1ObjectReference().namespace(ns.name()).name("flaky-data"))))
        .execute();
    core.createNamespacedPersistentVolumeClaim(ns.name(), new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name("flaky-data"))
        .spec(new V1PersistentVolumeClaimSpec().storageClassName("").volumeName(pv)
            .accessModes(List.of("ReadWriteOnce"))
            .resources(new V1VolumeResourceRequirements()
                .requests(Map.of("storage", new Quantity("10Mi"))))))
        .execute();
    core.createNamespacedPod(ns.name(), new V1Pod()
        .metadata(new V1ObjectMeta().name("write-script"))
        .spec(new V1PodSpec().restartPolicy("Never").overhead(null)
            .containers(List.of(new V1Container().name("write").image("apache/spark:4.1.1")
                .imagePullPolicy("Never")
                .securityContext(new V1SecurityContext().runAsUser(0L))
                .env(List.of(new V1EnvVar().name("SCRIPT").value(FLAKY)))
                .command(List.of("sh", "-c",
                    "printf '%s' \"$SCRIPT\" > /data/flaky.py && rm -f /data/count"
                        + " && chmod 0777 /data"))
                .volumeMounts(List.of(new V1VolumeMount().name("data").mountPath("/data")))
                .resources(new io.kubernetes.client.openapi.models.V1ResourceRequirements()
                    .requests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi"))))))
            .volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(
                new V1PersistentVolumeClaimVolumeSource().claimName("flaky-data"))))))
        .execute();
    await("script written").atMost(Duration.ofMinutes(2)).until(() -> "Succeeded".equals(
        core.readNamespacedPod("write-script", ns.name()).execute().getStatus().getPhase()));
    return pv;
  }
}
