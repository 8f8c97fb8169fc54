package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A job on the E2E cluster whose client keeps driver logs in object storage (the S3 and the GCS
 * test server): after its retention deleted the driver, {@code driverLog()} returns the log from
 * the bucket, the same bytes the server holds. The cluster is the one of {@code scripts/test.sh}
 * ({@code SPARKK8S_IT_KUBECONFIG}).
 */
@ExtendWith(StorageServers.class)
class StorageLogArchiveE2E {
  static final String TEST_JAR = "local:///opt/spark/tests/jars/sparkk8s-e2e.jar";

  @Test
  void s3(S3Server s3) throws Exception {
    s3.createBucket("driver-logs");
    S3Storage backend = S3Storage.of("driver-logs").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds");
    StorageAccess access = StorageAccess.of(backend, StorageCredentials.s3(S3Server.ACCESS_KEY,
        S3Server.SECRET_KEY));
    String log = runAndReadAfterRetention(access);
    assertThat(new String(java.nio.file.Files.readAllBytes(s3.root().resolve("driver-logs")
        .resolve(StorageLogArchive.DEFAULT_DIRECTORY).resolve(lastKey)), StandardCharsets.UTF_8))
        .as("the bytes the S3 server holds").isEqualTo(log);
  }

  @Test
  void gcs(GcsServer gcs) throws Exception {
    gcs.createBucket("driver-logs");
    GcsStorage backend = GcsStorage.of("driver-logs").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true);
    String log = runAndReadAfterRetention(StorageAccess.of(backend));
    assertThat(new String(gcs.download("driver-logs", StorageLogArchive.DEFAULT_DIRECTORY + "/"
        + lastKey), StandardCharsets.UTF_8)).as("the bytes the GCS server holds").isEqualTo(log);
  }

  private String lastKey;

  private String runAndReadAfterRetention(StorageAccess access) throws Exception {
    String kubeconfig = System.getenv("SPARKK8S_IT_KUBECONFIG");
    assertThat(kubeconfig).as("SPARKK8S_IT_KUBECONFIG (set by scripts/test.sh with the E2E cluster)")
        .isNotBlank();
    ApiClient client = Config.fromConfig(kubeconfig);
    CoreV1Api core = new CoreV1Api(client);
    String ns = "logs-" + UUID.randomUUID().toString().substring(0, 8);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(ns))).execute();
    try (StorageLogArchive archive = StorageLogArchive.to(access);
         SparkKubernetes spark = SparkKubernetes.builder()
             .kubeconfig(Path.of(kubeconfig), Optional.empty()).driverLogArchive(archive)
             .connect()) {
      spark.ensureDriverServiceAccount(ns, "spark");
      SparkJobHandle job = spark.submit(SparkJob.builder().name("archived").namespace(ns)
          .serviceAccount("spark").application(Application.jvm("io.sparkk8s.e2e.ExitWith", TEST_JAR))
          .addArgument("0").driver(Driver.builder().memory("512m").coreRequest("100m").build())
          .retention(Retention.deleteOnSuccess()).build());
      assertThat(job.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      await("deleted by its retention").atMost(Duration.ofSeconds(60)).until(() ->
          core.listNamespacedPod(ns).labelSelector("spark-app-selector=" + job.appId()).execute()
              .getItems().isEmpty());
      lastKey = ns + "/" + job.name() + "/" + job.appId() + ".log";
      try (InputStream in = job.driverLog()) {
        String log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("[E2E] " + archive + ": " + lastKey + ", " + log.length() + " bytes");
        assertThat(log).contains("ExitWith: exiting with 0");
        return log;
      }
    } finally {
      core.deleteNamespace(ns).execute();
    }
  }
}
