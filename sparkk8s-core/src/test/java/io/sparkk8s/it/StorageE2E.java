package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Storage backends on the real cluster. This machine's kernel has neither an NFS server nor an NFS
 * client ({@code nfs} is not in {@code /proc/filesystems}, no modules can be loaded), so an export
 * is proven as far as the API server and the volume controller go (volume and claim created,
 * validated and bound), and a job's event log is proven on a ReadWriteMany claim backed by a
 * directory of the node: the same claim mount an export gives, read back from the node's disk.
 */
@RealCluster
class StorageE2E {
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  @Test
  void anNfsExportBecomesARetainedVolumeBoundToItsClaim(ClusterConnection cluster, TestNamespace ns)
      throws ApiException {
    CoreV1Api core = new CoreV1Api(cluster.client());
    NfsStorage nfs = NfsStorage.of("nfs.example.test", "/exports/spark").withName("team");
    String pvName = "sparkk8s-" + ns.name() + "-sparkk8s-nfs-team";
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      spark.ensureStorage(ns.name(), nfs);
      spark.ensureStorage(ns.name(), nfs); // idempotent

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(core
          .readNamespacedPersistentVolumeClaim("sparkk8s-nfs-team", ns.name()).execute()
          .getStatus().getPhase()).isEqualTo("Bound"));
      V1PersistentVolume pv = core.readPersistentVolume(pvName).execute();
      assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
      assertThat(pv.getSpec().getNfs().getServer()).isEqualTo("nfs.example.test");
      assertThat(pv.getSpec().getNfs().getPath()).isEqualTo("/exports/spark");
      assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(ns.name());

      NfsStorage elsewhere = NfsStorage.of("other.example.test", "/exports/x").withName("team");
      assertThatThrownBy(() -> spark.ensureStorage(ns.name(), elsewhere))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("is not NFS export other.example.test:/exports/x");
      System.out.printf("[E2E] NFS export %s:%s -> PV %s (Retain) bound to claim %s/%s%n",
          "nfs.example.test", "/exports/spark", pvName, ns.name(), "sparkk8s-nfs-team");
    } finally {
      deleteVolume(core, pvName);
    }
  }

  @Test
  void aMissingClaimIsReportedBeforeAnyJobNeedsIt(ClusterConnection cluster, TestNamespace ns) {
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      assertThatThrownBy(() -> spark.ensureStorage(ns.name(), NfsStorage.claim("no-such-claim")))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("mounts claim 'no-such-claim', which does not exist in namespace");
    }
  }

  @Test
  void aJobWritesItsEventLogToSharedStorageThatOutlivesIt(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    Assumptions.assumeTrue(cluster.logs().isPresent(),
        "reads the event log from the node's disk: needs the local cluster of scripts/local-k8s");
    CoreV1Api core = new CoreV1Api(cluster.client());
    Path root = Paths.get("/var/lib/sparkk8s-e2e", ns.name());
    Path events = root.resolve("spark-events");
    Files.createDirectories(events);
    // The Spark image runs as uid 185: the directory is the export's, writable by the job.
    for (Path p : List.of(root, events)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    String pvName = "sparkk8s-e2e-" + ns.name();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      core.createPersistentVolume(new V1PersistentVolume().metadata(new V1ObjectMeta().name(pvName))
          .spec(new V1PersistentVolumeSpec().capacity(Map.of("storage", Quantity.fromString("1Gi")))
              .accessModes(List.of("ReadWriteMany")).storageClassName("")
              .persistentVolumeReclaimPolicy("Retain")
              .hostPath(new V1HostPathVolumeSource().path(root.toString()).type("Directory"))
              .claimRef(new V1ObjectReference().namespace(ns.name()).name("shared-logs"))))
          .execute();
      core.createNamespacedPersistentVolumeClaim(ns.name(), new V1PersistentVolumeClaim()
          .metadata(new V1ObjectMeta().name("shared-logs"))
          .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteMany"))
              .storageClassName("").volumeName(pvName)
              .resources(new V1VolumeResourceRequirements()
                  .requests(Map.of("storage", Quantity.fromString("1Gi")))))).execute();
      NfsStorage shared = NfsStorage.claim("shared-logs").withName("logs");
      spark.ensureStorage(ns.name(), shared);
      spark.ensureDriverServiceAccount(ns.name(), "spark");

      SparkJobHandle job = spark.submit(SparkJob.builder().name("pi-logged").namespace(ns.name())
          .serviceAccount("spark").application(PI).addArgument("2")
          .driver(Driver.builder().memory("512m").coreRequest("100m").build())
          .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
          // Plain JSON lines, so the test reads them without a codec (Spark 4 compresses by default).
          .eventLog(EventLog.to(shared).withCompressionCodec("none"))
          .build());
      JobState end = job.awaitCompletion(Duration.ofMinutes(6));
      assertThat(end.phase()).as("final state %s", end).isEqualTo(JobPhase.SUCCEEDED);

      // Spark 4 rolls event logs by default: a directory eventlog_v2_<appId> of events_<n>_<appId>.
      Path log = events.resolve("eventlog_v2_" + job.appId());
      try (var listing = Files.list(events)) {
        assertThat(log).as("Spark's event log for %s on the shared volume; the directory holds %s",
            job.appId(), listing.map(p -> p.getFileName().toString()).toList()).exists();
      }
      List<JsonObject> lines = new java.util.ArrayList<>();
      try (var files = Files.list(log)) {
        for (Path f : files.filter(f -> f.getFileName().toString().startsWith("events_")).sorted().toList()) {
          Files.readAllLines(f).forEach(l -> lines.add(JsonParser.parseString(l).getAsJsonObject()));
        }
      }
      List<String> kinds = lines.stream().map(e -> e.get("Event").getAsString()).toList();
      assertThat(kinds).contains("SparkListenerApplicationStart", "SparkListenerApplicationEnd");
      JsonObject start = lines.get(kinds.indexOf("SparkListenerApplicationStart"));
      assertThat(start.get("App ID").getAsString()).isEqualTo(job.appId());
      // SparkPi names its own session, which wins over the submitted spark.app.name.
      assertThat(start.get("App Name").getAsString()).isEqualTo("Spark Pi");

      job.delete(Duration.ofMinutes(1));
      assertThat(core.readNamespacedPersistentVolumeClaim("shared-logs", ns.name()).execute()
          .getStatus().getPhase()).as("the claim outlives the job").isEqualTo("Bound");
      assertThat(log).as("the log outlives the job").exists();
      System.out.printf("[E2E] event log of %s: %d events on the shared claim, kept after delete%n",
          job.appId(), lines.size());
    } finally {
      deleteVolume(core, pvName);
      deleteTree(root);
    }
  }

  private static void deleteVolume(CoreV1Api core, String name) {
    try {
      core.deletePersistentVolume(name).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        System.out.println("[E2E] could not delete PV " + name + ": " + e.getCode());
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
