package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.fleet.FleetCluster;
import io.sparkk8s.fleet.FleetJobHandle;
import io.sparkk8s.fleet.PlacementPolicy;
import io.sparkk8s.fleet.SparkFleet;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Storage per cloud across a fleet of the two local clusters ({@code SPARKK8S_IT_KUBECONFIG} and
 * {@code SPARKK8S_IT_SECOND_KUBECONFIG}, set by {@code scripts/test.sh}), each with a real node:
 * cluster a stands for a cloud with S3 (the S3 test server), b for one with Cloud Storage (the
 * Cloud Storage test server). One {@link SparkJob} description, submitted twice through the fleet,
 * runs once on each cluster with that cluster's storage; its event log goes to that cluster's
 * store, and each cluster's History Server, deployed by the SDK to read that store, lists its
 * application and only its own. Both servers listen on the address of cluster a's node, which the
 * pods of both nodes reach.
 */
class FleetStorageE2E {
  private static final Duration RUN = Duration.ofMinutes(6);
  private static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");
  private static ApiClient clientA;
  private static ApiClient clientB;
  private static ServersOnTheNode servers;
  private static S3Server s3;
  private static GcsServer gcs;

  @BeforeAll
  static void startServers() throws Exception {
    clientA = ServersOnTheNode.cluster("SPARKK8S_IT_KUBECONFIG");
    clientB = ServersOnTheNode.cluster("SPARKK8S_IT_SECOND_KUBECONFIG");
    servers = ServersOnTheNode.start(clientA);
    s3 = servers.s3;
    gcs = servers.gcs;
  }

  @AfterAll
  static void stopServers() {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void oneJobRunsOnEachClusterWithItsStorageAndEachHistoryServerListsItsApplication()
      throws Exception {
    String ns = "fleet-storage-" + UUID.randomUUID().toString().substring(0, 8);
    CoreV1Api coreA = new CoreV1Api(clientA);
    CoreV1Api coreB = new CoreV1Api(clientB);
    s3.createBucket("events-a");
    gcs.createBucket("events-b");
    S3Storage awsStore = S3Storage.of("events-a").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds").withImageHasConnector(true);
    GcsStorage gcpStore = GcsStorage.of("events-b").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true).withImageHasConnector(true);
    EventLog awsLog = EventLog.to(awsStore).withCompressionCodec("none");
    EventLog gcpLog = EventLog.to(gcpStore).withCompressionCodec("none");
    // Each store's event log directory, made once per store by the platform team (Spark needs it).
    StorageAccess.of(awsStore, StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY))
        .ensureDirectory(awsLog.directory());
    StorageAccess.of(gcpStore).ensureDirectory(gcpLog.directory());
    for (CoreV1Api core : List.of(coreA, coreB)) {
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(ns))).execute();
    }
    coreA.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name("s3-creds"))
        .stringData(Map.of("access-key", S3Server.ACCESS_KEY, "secret-key", S3Server.SECRET_KEY)))
        .execute();
    SparkKubernetes sparkA = connect("SPARKK8S_IT_KUBECONFIG");
    SparkKubernetes sparkB = connect("SPARKK8S_IT_SECOND_KUBECONFIG");
    SparkFleet fleet = SparkFleet.builder()
        .cluster(FleetCluster.of("a", sparkA).withLabels(Map.of("cloud", "aws"))
            .withStorage(List.of(awsStore), awsLog))
        .cluster(FleetCluster.of("b", sparkB).withLabels(Map.of("cloud", "gcp"))
            .withStorage(List.of(gcpStore), gcpLog))
        .policy(PlacementPolicy.spread()).build();
    try {
      // Each cluster's History Server, reading that cluster's store (the fleet closes the clients).
      sparkA.deploy(history(ns, awsLog));
      sparkB.deploy(history(ns, gcpLog));
      assertThat(fleet.ensureDriverServiceAccount(ns, "spark")).as("not done on").isEmpty();

      SparkJob job = SparkJob.builder().name("pi").namespace(ns).serviceAccount("spark")
          .application(PI).addArgument("2")
          .driver(Driver.builder().memory("512m").coreRequest("100m").build())
          .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
          .build();
      List<FleetJobHandle> runs = List.of(fleet.submit(job, OnConflict.NEW_RUN),
          fleet.submit(job, OnConflict.NEW_RUN));
      assertThat(runs.stream().map(FleetJobHandle::cluster).collect(Collectors.toSet()))
          .as("spread: one run on each cluster").isEqualTo(Set.of("a", "b"));
      Map<String, String> appIds = new TreeMap<>();
      for (FleetJobHandle run : runs) {
        JobState end = run.job().awaitCompletion(RUN);
        if (end.phase() != JobPhase.SUCCEEDED) {
          try (var log = run.job().driverLog()) {
            throw new AssertionError("the run on " + run.cluster() + " ended " + end
                + "; its driver's log:\n" + new String(log.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        appIds.put(run.cluster(), run.job().appId());
      }
      // Each driver ran on its cluster's real node, and wrote its event log to that cluster's store.
      assertThat(driverNode(coreA, ns)).isEqualTo("sparkk8s-node");
      assertThat(driverNode(coreB, ns)).isEqualTo("sparkk8s-node-b");
      try (var logs = Files.list(s3.root().resolve("events-a").resolve(EventLog.DEFAULT_DIRECTORY))) {
        assertThat(logs.map(p -> p.getFileName().toString()).toList())
            .as("event logs in s3a://events-a").anyMatch(name -> name.contains(appIds.get("a")));
      }
      assertThat(gcs.objects("events-b", EventLog.DEFAULT_DIRECTORY + "/"))
          .as("event logs in gs://events-b").anyMatch(name -> name.contains(appIds.get("b")));

      // Each History Server lists its own application, and not the other's.
      Map<String, List<String>> listed = new TreeMap<>();
      for (Map.Entry<String, CoreV1Api> c : Map.of("a", coreA, "b", coreB).entrySet()) {
        String mine = appIds.get(c.getKey());
        await("the History Server of " + c.getKey() + " lists " + mine)
            .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
            .ignoreExceptions().until(() -> applications(c.getValue(), ns).contains(mine));
        listed.put(c.getKey(), applications(c.getValue(), ns));
      }
      System.out.printf("[E2E] one job description, two clusters: a (S3) ran %s, b (Cloud Storage)"
          + " ran %s; History Servers list %s%n", appIds.get("a"), appIds.get("b"), listed);
      assertThat(listed.get("a")).containsExactly(appIds.get("a"));
      assertThat(listed.get("b")).containsExactly(appIds.get("b"));
    } finally {
      fleet.close();
      for (CoreV1Api core : List.of(coreA, coreB)) {
        try {
          core.deleteNamespace(ns).execute();
        } catch (ApiException e) {
          System.out.println("[E2E] could not delete namespace " + ns + ": " + e.getCode());
        }
      }
    }
  }

  private static SparkKubernetes connect(String env) {
    return SparkKubernetes.builder().kubeconfig(Path.of(System.getenv(env)), Optional.empty())
        .connect();
  }

  private static SparkPlatform history(String ns, EventLog log) {
    return SparkPlatform.builder().name("team").namespace(ns)
        .historyServer(HistoryServer.builder().eventLog(log).imageHasConnectors(true)
            .cpuRequest("100m").memory("512m")
            .putSparkConf("spark.history.fs.update.interval", "2s").build())
        .build();
  }

  /** The ids of the applications a namespace's History Server lists ({@code /api/v1/applications}). */
  private static List<String> applications(CoreV1Api core, String ns) throws ApiException {
    String body = core.connectGetNamespacedServiceProxyWithPath("team-history:" + HistoryServer.PORT,
        ns, "api/v1/applications").execute();
    List<String> ids = new ArrayList<>();
    for (JsonElement app : JsonParser.parseString(body).getAsJsonArray()) {
      ids.add(app.getAsJsonObject().get("id").getAsString());
    }
    return ids;
  }

  /** The node the namespace's one driver ran on. */
  private static String driverNode(CoreV1Api core, String ns) throws ApiException {
    List<V1Pod> drivers = core.listNamespacedPod(ns).labelSelector("spark-role=driver").execute()
        .getItems();
    assertThat(drivers).hasSize(1);
    return drivers.get(0).getSpec().getNodeName();
  }
}
