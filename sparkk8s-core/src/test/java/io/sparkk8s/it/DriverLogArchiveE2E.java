package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.DirectoryLogArchive;
import io.sparkk8s.FailureReport;
import io.sparkk8s.JobPhase;
import io.sparkk8s.LogArchive;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Retention;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver logs outlive their pods: a client with a {@link LogArchive} writes each ended driver's
 * log before retention deletes it (and keeps the driver while it cannot), writes a killed job's
 * log up to the kill, and its handles read the archive once the pod is gone; an archive on a
 * PersistentVolumeClaim is read by a pod that mounts the claim. (An archive in S3 or GCS:
 * {@code StorageLogArchiveE2E} of sparkk8s-storage.)
 */
@RealCluster
class DriverLogArchiveE2E {

  static SparkKubernetes connect(ClusterConnection cluster, LogArchive archive) {
    return SparkKubernetes.builder().kubeconfig(cluster.kubeconfig(), Optional.empty())
        .driverLogArchive(archive).connect();
  }

  @Test
  void afterRetentionDeletedTheDriverItsWholeLogIsReadFromTheArchive(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = connect(cluster, DirectoryLogArchive.at(dir))) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle pi = spark.submit(SparkJobLifecycleE2E.job(ns, "pi-archived")
          .application(SparkJobLifecycleE2E.PI).addArgument("4")
          .retention(Retention.deleteAfter(Duration.ofSeconds(15))).build());
      assertThat(pi.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      String fromPod = read(pi.driverLog());
      assertThat(fromPod).contains("Pi is roughly");
      await("deleted by its retention").atMost(Duration.ofSeconds(90))
          .until(() -> RetentionE2E.objectsOf(core, ns, pi) == 0);
      String fromArchive = read(pi.driverLog());
      System.out.println("[E2E] driver log from the pod " + fromPod.length() + " bytes, from the"
          + " archive " + fromArchive.length() + " bytes");
      assertThat(fromArchive).as("the whole log, as the pod had it").isEqualTo(fromPod);
      assertThat(dir.resolve(ns.name()).resolve(pi.name()).resolve(pi.appId() + ".log"))
          .hasContent(fromPod);
    }
  }

  @Test
  void aFailedJobsReportAfterItsDeletionComesFromTheArchive(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = connect(cluster, DirectoryLogArchive.at(dir))) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle bad = spark.submit(SparkJobLifecycleE2E.job(ns, "fails-archived")
          .application(RetentionE2E.EXIT).addArgument("3")
          .retention(Retention.builder().afterFailure(Duration.ZERO).build()).build());
      assertThat(bad.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.FAILED);
      await("deleted by its retention").atMost(Duration.ofSeconds(60))
          .until(() -> RetentionE2E.objectsOf(core, ns, bad) == 0);
      FailureReport report = bad.failureReport().orElseThrow();
      System.out.println("[E2E] report after deletion:\n" + report);
      assertThat(report.logTail()).contains("ExitWith: exiting with 3");
      assertThat(report.unavailable()).noneMatch(u -> u.contains("log"));
    }
  }

  @Test
  void aDriverWhoseLogCannotBeArchivedIsKeptUntilItCan(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    FlakyArchive archive = new FlakyArchive(DirectoryLogArchive.at(dir), 2);
    try (SparkKubernetes spark = connect(cluster, archive)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle ok = spark.submit(SparkJobLifecycleE2E.job(ns, "kept-archived")
          .application(RetentionE2E.EXIT).addArgument("0")
          .retention(Retention.deleteOnSuccess()).build());
      assertThat(ok.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      await("the first write failed").atMost(Duration.ofSeconds(30))
          .until(() -> archive.writes.get() >= 1);
      // Its retention is up (zero), but the log is not in the archive: the driver stays.
      await("kept while its log is not archived").during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(9)).until(() -> archive.writes.get() >= 3
              || RetentionE2E.objectsOf(core, ns, ok) == 3);
      await("deleted once archived").atMost(Duration.ofSeconds(60))
          .until(() -> RetentionE2E.objectsOf(core, ns, ok) == 0);
      System.out.println("[E2E] archive writes until one succeeded: " + archive.writes.get());
      assertThat(archive.writes.get()).as("tried again after each failure").isGreaterThanOrEqualTo(3);
      assertThat(archive.written.get()).as("written once, never again after").isEqualTo(1);
      assertThat(read(ok.driverLog())).contains("ExitWith: exiting with 0");
    }
  }

  @Test
  void aKilledJobsLogUpToTheKillIsArchived(ClusterConnection cluster, TestNamespace ns,
      @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = connect(cluster, DirectoryLogArchive.at(dir))) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle held = spark.submit(SparkJobLifecycleE2E.job(ns, "killed-archived")
          .application(NetworkPolicyE2E.HOLD).addArguments("never-released", "600").build());
      await("holding").atMost(Duration.ofMinutes(4)).until(() -> {
        try {
          String log = core.readNamespacedPodLog(held.name(), ns.name())
              .container("spark-kubernetes-driver").execute();
          return log != null && log.contains("waiting for ConfigMap"); // null while empty
        } catch (io.kubernetes.client.openapi.ApiException notYet) {
          return false;
        }
      });
      held.kill();
      assertThat(held.awaitCompletion(Duration.ofMinutes(1)).phase()).isEqualTo(JobPhase.FAILED);
      await("deleted by the kill").atMost(Duration.ofSeconds(90))
          .until(() -> RetentionE2E.objectsOf(core, ns, held) == 0);
      assertThat(read(held.driverLog())).contains("HoldUntilReleased: counted 1000");
    }
  }

  @Test
  void onAClaimTheArchivedLogIsReadByAPodThatMountsIt(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    Assumptions.assumeTrue(cluster.logs().isPresent(),
        "backs the claim with a directory of the node: needs the local cluster of scripts/local-k8s");
    CoreV1Api core = new CoreV1Api(cluster.client());
    // The claim's volume is a directory of the node; the client, on the same machine, writes
    // there as a client in a pod would write to the claim mounted into it.
    Path dir = Paths.get("/var/lib/sparkk8s-e2e", ns.name(), "driver-logs");
    String pv = "e2e-driver-logs-" + ns.name();
    try {
      PlatformE2E.volume(core, dir, pv, ns.name(), "driver-logs", "ReadWriteMany");
      core.createNamespacedPersistentVolumeClaim(ns.name(), new V1PersistentVolumeClaim()
          .metadata(new V1ObjectMeta().name("driver-logs"))
          .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteMany"))
              .storageClassName("").volumeName(pv).resources(new V1VolumeResourceRequirements()
                  .requests(Map.of("storage", Quantity.fromString("1Gi")))))).execute();
      try (SparkKubernetes spark = connect(cluster, DirectoryLogArchive.at(dir))) {
        spark.ensureDriverServiceAccount(ns.name(), "spark");
        SparkJobHandle ok = spark.submit(SparkJobLifecycleE2E.job(ns, "on-a-claim")
            .application(RetentionE2E.EXIT).addArgument("0")
            .retention(Retention.deleteOnSuccess()).build());
        assertThat(ok.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
        await("deleted by its retention").atMost(Duration.ofSeconds(60))
            .until(() -> RetentionE2E.objectsOf(core, ns, ok) == 0);
        String archived = read(ok.driverLog());
        assertThat(archived).contains("ExitWith: exiting with 0");
        String file = "/logs/" + new LogArchive.Key(ns.name(), ok.name(), ok.appId()).relativePath();
        String readInPod = readThroughClaim(core, ns, "driver-logs", file);
        assertThat(readInPod).as("the log as a pod mounting the claim reads it").isEqualTo(archived);
        System.out.println("[E2E] " + file + " on the claim: " + readInPod.length() + " bytes");
      }
    } finally {
      try {
        core.deletePersistentVolume(pv).execute();
      } catch (io.kubernetes.client.openapi.ApiException ignored) {
        // not created
      }
      PlatformE2E.deleteTree(dir.getParent());
    }
  }

  /** Runs a restricted pod that mounts {@code claim} at /logs and prints {@code file}. */
  private static String readThroughClaim(CoreV1Api core, TestNamespace ns, String claim,
      String file) throws Exception {
    V1Pod reader = new V1Pod().metadata(new V1ObjectMeta().name("read-claim"))
        .spec(new V1PodSpec().restartPolicy("Never").overhead(null)
            .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .addContainersItem(new V1Container().name("cat").image("docker.io/apache/spark:4.1.1")
                .imagePullPolicy("IfNotPresent").command(List.of("cat", file))
                .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false)
                    .capabilities(new V1Capabilities().drop(List.of("ALL"))))
                .addVolumeMountsItem(new V1VolumeMount().name("logs").mountPath("/logs")
                    .readOnly(true)))
            .addVolumesItem(new V1Volume().name("logs").persistentVolumeClaim(
                new V1PersistentVolumeClaimVolumeSource().claimName(claim).readOnly(true))));
    core.createNamespacedPod(ns.name(), reader).execute();
    await("the reader pod ran").atMost(Duration.ofMinutes(2)).until(() -> {
      String phase = core.readNamespacedPod("read-claim", ns.name()).execute().getStatus()
          .getPhase();
      return "Succeeded".equals(phase) || "Failed".equals(phase);
    });
    assertThat(core.readNamespacedPod("read-claim", ns.name()).execute().getStatus().getPhase())
        .isEqualTo("Succeeded");
    return core.readNamespacedPodLog("read-claim", ns.name()).execute();
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** An archive whose first writes fail, as a store that is down for a while. */
  static final class FlakyArchive implements LogArchive {
    private final LogArchive to;
    private final int failures;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger written = new AtomicInteger();

    FlakyArchive(LogArchive to, int failures) {
      this.to = to;
      this.failures = failures;
    }

    @Override
    public void write(Key key, InputStream log) throws IOException {
      if (writes.incrementAndGet() <= failures) {
        throw new IOException("the store is down (write " + writes.get() + ")");
      }
      to.write(key, log);
      written.incrementAndGet();
    }

    @Override
    public boolean contains(Key key) throws IOException {
      return to.contains(key);
    }

    @Override
    public Optional<InputStream> open(Key key) throws IOException {
      return to.open(key);
    }
  }
}
