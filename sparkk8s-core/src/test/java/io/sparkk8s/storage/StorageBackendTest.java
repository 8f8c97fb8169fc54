package io.sparkk8s.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageBackendTest {
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  static SparkJob.Builder job() {
    return SparkJob.builder().name("pi").namespace("jobs").application(PI);
  }

  @Test
  void s3SettingsArePerBucketAndCredentialsComeFromTheSecret() {
    S3Storage s3 = S3Storage.of("team-logs").withPrefix("spark").withEndpoint("http://minio:9000")
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds");

    assertThat(s3.rootUri()).isEqualTo("s3a://team-logs/spark");
    assertThat(s3.resolve("spark-events")).isEqualTo("s3a://team-logs/spark/spark-events");
    assertThat(s3.hadoopConf()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "fs.s3a.bucket.team-logs.endpoint", "http://minio:9000",
        "fs.s3a.bucket.team-logs.connection.ssl.enabled", "false",
        "fs.s3a.bucket.team-logs.endpoint.region", "us-east-1",
        "fs.s3a.bucket.team-logs.path.style.access", "true"));
    assertThat(s3.sparkConf("4.1.1")).containsEntry("spark.jars.packages",
        "org.apache.hadoop:hadoop-aws:3.4.2").containsEntry("spark.jars.ivy", "/tmp/.ivy2");
    assertThat(s3.connectorPackages("3.5.6")).containsExactly("org.apache.hadoop:hadoop-aws:3.3.4");
    assertThat(s3.withImageHasConnector(true).sparkConf()).doesNotContainKeys(
        "spark.jars.packages", "spark.jars.ivy");
    assertThat(s3.secretEnv()).extracting(e -> e.envName() + "=" + e.secretName() + ":" + e.key())
        .containsExactly("AWS_ACCESS_KEY_ID=s3-creds:access-key",
            "AWS_SECRET_ACCESS_KEY=s3-creds:secret-key");
  }

  @Test
  void gcsKeyIsAMountedFileAndTheConnectorAShadedJar() {
    GcsStorage gcs = GcsStorage.of("team-data").withPrefix("jobs").withKeySecret("gcs-key", "sa.json");

    assertThat(gcs.auth()).isEqualTo(GcsStorage.Auth.KEY_SECRET);
    assertThat(gcs.rootUri()).isEqualTo("gs://team-data/jobs");
    assertThat(gcs.hadoopConf()).containsEntry("fs.gs.auth.type", "SERVICE_ACCOUNT_JSON_KEYFILE")
        .containsEntry("fs.gs.auth.service.account.json.keyfile", "/var/secrets/sparkk8s/gcs/sa.json");
    assertThat(gcs.secretVolumes()).singleElement().satisfies(v -> {
      assertThat(v.secretName()).isEqualTo("gcs-key");
      assertThat(v.mountPath()).isEqualTo("/var/secrets/sparkk8s/gcs");
    });
    assertThat(gcs.connectorJars("4.1.1")).containsExactly("https://repo1.maven.org/maven2/com/google/"
        + "cloud/bigdataoss/gcs-connector/3.0.13/gcs-connector-3.0.13-shaded.jar");
    assertThat(GcsStorage.of("team-data").hadoopConf()).containsEntry("fs.gs.auth.type",
        "APPLICATION_DEFAULT");
    assertThat(GcsStorage.of("team-data").withUnauthenticated(true)
        .withEndpoint("http://127.0.0.1:4443").hadoopConf())
        .containsEntry("fs.gs.auth.type", "UNAUTHENTICATED")
        .containsEntry("fs.gs.operation.move.enable", "false")
        .containsEntry("fs.gs.storage.root.url", "http://127.0.0.1:4443");
  }

  @Test
  void nfsIsAClaimMountedEverywhereAndJobsNameFilesAsLocal() {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withPath("team");

    assertThat(nfs.claimName()).isEqualTo("sparkk8s-nfs-nfs");
    assertThat(nfs.rootUri()).isEqualTo("file:///mnt/sparkk8s/nfs/team");
    assertThat(nfs.jobUri("deps/app.jar")).isEqualTo("local:///mnt/sparkk8s/nfs/team/deps/app.jar");
    assertThat(nfs.volumes()).singleElement().satisfies(v -> {
      assertThat(v.options()).containsEntry("claimName", "sparkk8s-nfs-nfs");
      assertThat(v.mountPath()).isEqualTo("/mnt/sparkk8s/nfs");
    });
    assertThat(NfsStorage.claim("team-shared").claimName()).isEqualTo("team-shared");
  }

  @Test
  void hdfsRootAndHadoopConfigMap() {
    HdfsStorage hdfs = HdfsStorage.of("hdfs://nn.hadoop:8020", "/spark").withHadoopConfigMap("hadoop-conf");

    assertThat(hdfs.rootUri()).isEqualTo("hdfs://nn.hadoop:8020/spark");
    assertThat(HdfsStorage.of("hdfs://nn.hadoop:8020", "/").resolve("logs"))
        .isEqualTo("hdfs://nn.hadoop:8020/logs");
    assertThat(hdfs.sparkConf()).containsExactly(
        Map.entry("spark.kubernetes.hadoop.configMapName", "hadoop-conf"));
  }

  @Test
  void eventLogConfWithRollingAndCompression() {
    EventLog log = EventLog.to(HdfsStorage.of("hdfs://nn:8020", "/spark")).withRolling("128m")
        .withCompressionCodec("zstd");

    assertThat(log.sparkConf()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "spark.eventLog.enabled", "true",
        "spark.eventLog.dir", "hdfs://nn:8020/spark/spark-events",
        "spark.eventLog.rolling.enabled", "true",
        "spark.eventLog.rolling.maxFileSize", "128m",
        "spark.eventLog.compress", "true",
        "spark.eventLog.compression.codec", "zstd"));
    assertThat(log.historyServerConf("4.1.1")).containsEntry("spark.history.fs.logDirectory",
        "hdfs://nn:8020/spark/spark-events");
  }

  @Test
  void aJobGetsEveryBackendsConfVolumesAndSecretsOnDriverAndExecutors() {
    SparkJob job = job()
        .addStorage(GcsStorage.of("team-data").withKeySecret("gcs-key", "key.json"))
        .eventLog(EventLog.to(S3Storage.of("team-logs").withCredentialsSecret("s3-creds")))
        .addStorage(NfsStorage.claim("shared"))
        .build();

    CompiledJob compiled = SparkCompiler.compile(job);
    Map<String, String> props = compiled.sparkProperties();
    assertThat(props).containsEntry("spark.eventLog.dir", "s3a://team-logs/spark-events")
        .containsEntry("spark.hadoop.fs.gs.auth.type", "SERVICE_ACCOUNT_JSON_KEYFILE")
        .containsEntry("spark.jars.packages", "org.apache.hadoop:hadoop-aws:3.4.2")
        .containsEntry("spark.kubernetes.executor.secrets.gcs-key", "/var/secrets/sparkk8s/gcs")
        .containsEntry("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID", "s3-creds:access-key")
        .containsEntry("spark.kubernetes.executor.volumes.persistentVolumeClaim.sparkk8s-nfs.options.claimName",
            "shared");
    assertThat(props.get("spark.jars")).contains("gcs-connector-3.0.13-shaded.jar");

    V1Pod driver = compiled.driverPod();
    V1Container c = driver.getSpec().getContainers().get(0);
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/var/secrets/sparkk8s/gcs", "/mnt/sparkk8s/nfs");
    List<V1EnvVar> env = c.getEnv();
    assertThat(env).filteredOn(e -> e.getName().startsWith("AWS_")).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds");
    });
    // The description keeps its backends; only the compiled job sees them expanded.
    assertThat(job.volumes()).isEmpty();
    assertThat(job.sparkConf()).isEmpty();
  }

  @Test
  void aBackendSharedByStorageAndEventLogIsAddedOnce() {
    S3Storage s3 = S3Storage.of("team-logs").withCredentialsSecret("s3-creds");
    SparkJob job = job().addStorage(s3).eventLog(EventLog.to(s3)).build();

    assertThat(SparkCompiler.compile(job).driverPod().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("AWS_ACCESS_KEY_ID")).hasSize(1);
  }
}
