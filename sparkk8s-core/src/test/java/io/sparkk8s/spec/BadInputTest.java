package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.Volume;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid description fails at {@code build()} with an {@link InvalidDescriptionException}
 * whose message names the attribute, the value and the rule.
 */
class BadInputTest {
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  static SparkJob.Builder job() {
    return SparkJob.builder().name("pi").application(PI);
  }

  static Arguments bad(String what, Supplier<?> build, String... fragments) {
    return Arguments.of(what, build, List.of(fragments));
  }

  static Stream<Arguments> badInputs() {
    String longName = "a".repeat(64);
    return Stream.of(
        bad("uppercase name", () -> job().name("SparkPi").build(),
            "name 'SparkPi'", "DNS-1123 label"),
        bad("underscore in name", () -> job().name("spark_pi").build(),
            "name 'spark_pi'", "DNS-1123 label"),
        bad("name too long", () -> job().name(longName).build(),
            "name '" + longName + "'", "at most 63 characters (is 64)"),
        bad("name ends with dash", () -> job().name("pi-").build(), "name 'pi-'", "DNS-1123"),
        bad("empty name", () -> job().name("").build(), "name ''", "must not be empty"),
        bad("namespace with dot", () -> job().namespace("team.a").build(),
            "namespace 'team.a'", "DNS-1123 label"),
        bad("missing name and application", () -> SparkJob.builder().build(),
            "name: is required", "application: is required"),
        bad("appId uppercase", () -> job().appId("Spark-1").build(), "appId 'Spark-1'",
            "label value"),
        bad("spark version garbage", () -> job().sparkVersion("latest").build(),
            "sparkVersion 'latest'", "Spark version such as 4.1.1"),
        bad("image with space", () -> job().image("apache/spark 4").build(),
            "image 'apache/spark 4'", "container image reference"),
        bad("JVM app without main class",
            () -> ImmutableApplication.builder().kind(Application.Kind.JVM)
                .resource("local:///opt/app.jar").build(),
            "application.mainClass", "is required for a JVM application"),
        bad("main class not a class name", () -> Application.jvm("com.example.", "local:///a.jar"),
            "application.mainClass 'com.example.'", "fully qualified Java class name"),
        bad("python with main class",
            () -> ImmutableApplication.builder().kind(Application.Kind.PYTHON)
                .mainClass("x.Y").resource("local:///opt/app.py").build(),
            "application.mainClass 'x.Y'", "has no main class"),
        bad("python local resource without file name", () -> Application.python("local:///opt/app/"),
            "application.resource 'local:///opt/app/'", "must name a file"),
        bad("python resource not .py", () -> Application.python("gs://b/app.jar"),
            "application.resource 'gs://b/app.jar'", "must name a .py file"),
        bad("local:// with two slashes", () -> Application.jvm("a.B", "local://opt/app.jar"),
            "application.resource 'local://opt/app.jar'", "absolute path inside the image"),
        bad("client-local file", () -> Application.jvm("a.B", "/home/me/app.jar"),
            "application.resource '/home/me/app.jar'", "cannot read", "stage it"),
        bad("file:// resource", () -> Application.jvm("a.B", "file:///tmp/app.jar"),
            "application.resource 'file:///tmp/app.jar'", "submitting machine"),
        bad("unknown scheme", () -> Application.jvm("a.B", "ftpx://host/app.jar"),
            "application.resource", "unsupported scheme 'ftpx'"),
        bad("pyFiles on JVM app", () -> PI.withPyFiles("gs://b/lib.zip"),
            "application.pyFiles", "only a Python application takes pyFiles"),
        bad("bad jar URI", () -> job().addJar("lib/dep.jar").build(), "jars 'lib/dep.jar'",
            "submitting machine"),
        bad("conf key without spark.", () -> job().putSparkConf("fs.gs.project.id", "p").build(),
            "sparkConf 'fs.gs.project.id'", "must start with 'spark.'"),
        bad("conf owned: namespace", () -> job().putSparkConf("spark.kubernetes.namespace", "x").build(),
            "sparkConf 'spark.kubernetes.namespace'", "use namespace instead"),
        bad("conf owned: driver host", () -> job().putSparkConf("spark.driver.host", "h").build(),
            "sparkConf 'spark.driver.host'", "set by Spark to the driver Service"),
        bad("conf owned: bind address", () -> job().putSparkConf("spark.driver.bindAddress", "0.0.0.0").build(),
            "sparkConf 'spark.driver.bindAddress'", "pod IP"),
        bad("conf owned: executor instances",
            () -> job().putSparkConf("spark.executor.instances", "3").build(),
            "sparkConf 'spark.executor.instances'", "use executor.instances instead"),
        bad("conf owned: pod template", () -> job()
                .putSparkConf("spark.kubernetes.executor.podTemplateFile", "/tmp/t.yaml").build(),
            "sparkConf 'spark.kubernetes.executor.podTemplateFile'", "the SDK writes the template"),
        bad("instances with dynamic allocation", () -> job()
                .executor(Executor.builder().instances(3).build())
                .dynamicAllocation(DynamicAllocation.between(1, 5)).build(),
            "executor.instances '3'", "cannot be set together with dynamicAllocation"),
        bad("driver memory not a size", () -> Driver.builder().memory("4 GB").build(),
            "driver.memory '4 GB'", "Spark memory size such as 512m or 4g"),
        bad("executor memory zero", () -> Executor.builder().memory("0m").build(),
            "executor.memory '0m'", "at least 1m"),
        bad("overhead below minimum", () -> Driver.builder().memoryOverhead("256m").build(),
            "driver.memoryOverhead '256m'", "at least 384m"),
        bad("executor overhead below minimum", () -> Executor.builder().memoryOverhead("100").build(),
            "executor.memoryOverhead '100'", "at least 384m"),
        bad("zero cores", () -> Driver.builder().cores(0).build(), "driver.cores '0'", "at least 1"),
        bad("cpu request not a quantity", () -> Executor.builder().coreRequest("half").build(),
            "executor.coreRequest 'half'", "Kubernetes quantity such as 500m"),
        bad("negative cpu limit", () -> Driver.builder().coreLimit("-1").build(),
            "driver.coreLimit '-1'", "positive CPU quantity"),
        bad("negative instances", () -> Executor.builder().instances(-1).build(),
            "executor.instances '-1'", "must be at least 1"),
        bad("zero instances", () -> Executor.builder().instances(0).build(),
            "executor.instances '0'", "must be at least 1", "dynamicAllocation"),
        bad("min above max", () -> DynamicAllocation.between(5, 2),
            "dynamicAllocation.maxExecutors '2'", "at least minExecutors (5)"),
        bad("initial above max", () -> DynamicAllocation.builder().maxExecutors(4)
                .initialExecutors(9).build(),
            "dynamicAllocation.initialExecutors '9'", "at most maxExecutors (4)"),
        bad("idle timeout not a duration", () -> DynamicAllocation.builder()
                .executorIdleTimeout("soon").build(),
            "dynamicAllocation.executorIdleTimeout 'soon'", "Spark duration"),
        bad("reserved label", () -> job().putLabel("spark-role", "x").build(),
            "labels 'spark-role'", "label Spark sets itself"),
        bad("reserved driver label", () -> Driver.builder().putLabel("spark-app-selector", "x").build(),
            "driver.labels 'spark-app-selector'", "label Spark sets itself"),
        bad("label value too long", () -> job().putLabel("team", "x".repeat(64)).build(),
            "labels[team]", "at most 63"),
        bad("label key with space", () -> job().putLabel("my team", "a").build(),
            "labels key 'my team'", "qualified name"),
        bad("annotation key with bad prefix", () -> job().putAnnotation("Example.COM/x", "a").build(),
            "annotations key 'Example.COM/x'", "DNS-1123 subdomain"),
        bad("env name with space", () -> job().putEnv("MY VAR", "1").build(), "env 'MY VAR'",
            "environment variable name"),
        bad("env name starting with digit", () -> Driver.builder().putEnv("1X", "1").build(),
            "driver.env '1X'", "not starting with a digit"),
        bad("node selector value", () -> job().putNodeSelector("pool", "a b").build(),
            "nodeSelector[pool] 'a b'", "label value"),
        bad("service account uppercase", () -> job().serviceAccount("Spark").build(),
            "serviceAccount 'Spark'", "DNS-1123 subdomain"),
        bad("pull secret uppercase", () -> job().addImagePullSecret("Regcred").build(),
            "imagePullSecrets 'Regcred'", "DNS-1123 subdomain"),
        bad("priority class", () -> job().priorityClassName("High_Priority").build(),
            "priorityClassName 'High_Priority'", "DNS-1123 subdomain"),
        bad("zero start timeout", () -> job().startTimeout(java.time.Duration.ZERO).build(),
            "startTimeout 'PT0S'", "must be positive"),
        bad("root uid", () -> job().runAsUser(0).build(), "runAsUser '0'", "non-root uid"),
        bad("retry zero attempts", () -> RetryPolicy.onFailure(0),
            "retryPolicy.maxAttempts '0'", "from 1 to 20"),
        bad("retry too many attempts", () -> RetryPolicy.always(21),
            "retryPolicy.maxAttempts '21'", "from 1 to 20"),
        bad("retry negative backoff", () -> RetryPolicy.onFailure(2)
                .withInitialBackoff(java.time.Duration.ofSeconds(-1)),
            "retryPolicy.initialBackoff 'PT-1S'", "must not be negative"),
        bad("retry max below initial", () -> RetryPolicy.onFailure(2)
                .withInitialBackoff(java.time.Duration.ofMinutes(2))
                .withMaxBackoff(java.time.Duration.ofMinutes(1)),
            "retryPolicy.maxBackoff 'PT1M'", "at least initialBackoff (PT2M)"),
        bad("retry max over a day", () -> RetryPolicy.onFailure(2)
                .withMaxBackoff(java.time.Duration.ofDays(2)),
            "retryPolicy.maxBackoff 'PT48H'", "at most one day"),
        bad("retry multiplier below one", () -> RetryPolicy.onFailure(2).withMultiplier(0.5),
            "retryPolicy.multiplier '0.5'", "from 1 to 100"),
        bad("history server not a URL", () -> job().historyServerUrl("history:18080").build(),
            "historyServerUrl 'history:18080'", "http:// or https:// URL"),
        bad("negative retention", () -> Retention.deleteAfter(java.time.Duration.ofSeconds(-5)),
            "retention.afterSuccess 'PT-5S'", "must not be negative"),
        bad("negative failure retention", () -> Retention.builder()
                .afterFailure(java.time.Duration.ofMinutes(-1)).build(),
            "retention.afterFailure 'PT-1M'", "must not be negative"),
        bad("retry jitter above one", () -> RetryPolicy.onFailure(2).withJitter(1.5),
            "retryPolicy.jitter '1.5'", "fraction from 0 to 1"),
        bad("uid past 32 bits", () -> job().runAsUser(2147483648L).build(), "runAsUser '2147483648'",
            "at most 2147483647"),
        bad("spark version overflowing", () -> job().sparkVersion("99999999999.0.0").build(),
            "sparkVersion '99999999999.0.0'", "Spark version such as 4.1.1"),
        bad("relative mount path", () -> Volume.emptyDir("scratch", "tmp/scratch"),
            "volume[scratch].mountPath 'tmp/scratch'", "absolute path"),
        bad("volume name uppercase", () -> Volume.emptyDir("Scratch", "/scratch"),
            "volume.name 'Scratch'", "DNS-1123 label"),
        bad("nfs without server", () -> Volume.builder().name("n").type(Volume.Type.NFS)
                .mountPath("/n").putOption("path", "/export").build(),
            "volume[n].options.server", "is required for an nfs volume"),
        bad("pvc without claim", () -> Volume.builder().name("d").type(Volume.Type.PERSISTENT_VOLUME_CLAIM)
                .mountPath("/d").build(),
            "volume[d].options.claimName", "is required"),
        bad("emptyDir bad size", () -> Volume.builder().name("s").type(Volume.Type.EMPTY_DIR)
                .mountPath("/s").putOption("sizeLimit", "lots").build(),
            "volume[s].options.sizeLimit 'lots'", "Kubernetes quantity"),
        bad("subPath escaping", () -> Volume.emptyDir("s", "/s").withSubPath("../etc"),
            "volume[s].subPath '../etc'", "relative path without '..'"),
        bad("duplicate volume names", () -> job().addVolume(Volume.emptyDir("s", "/a"))
                .addVolume(Volume.emptyDir("s", "/b")).build(),
            "volumes 's'", "volume names must be unique"),
        bad("two mounts on one path", () -> job().addVolume(Volume.emptyDir("a", "/data"))
                .addSecretVolume(SecretVolume.of("creds", "/data")).build(),
            "mountPath '/data'", "same path"),
        bad("mount over Spark conf", () -> job().addVolume(Volume.emptyDir("a", "/opt/spark/conf")).build(),
            "mountPath '/opt/spark/conf'", "Spark mounts its own conf"),
        bad("secret env twice", () -> job().addSecretEnv(SecretEnv.of("TOKEN", "s", "k"))
                .addSecretEnv(SecretEnv.of("TOKEN", "t", "k")).build(),
            "secretEnv 'TOKEN'", "can be set once"),
        bad("secret env also literal", () -> job().putEnv("TOKEN", "x")
                .addSecretEnv(SecretEnv.of("TOKEN", "s", "k")).build(),
            "secretEnv 'TOKEN'", "also set as a literal"),
        bad("secret key with slash", () -> SecretEnv.of("T", "s", "a/b"),
            "secretEnv.key 'a/b'", "Secret key"),
        bad("secret key '.'", () -> SecretEnv.of("T", "s", "."), "secretEnv.key '.'", "not '.'"),
        // The API server refuses a key that starts with '..' (CompileFuzzE2E found "..40c").
        bad("secret key '..40c'", () -> SecretEnv.of("T", "s", "..40c"), "secretEnv.key '..40c'",
            "not starting with '..'"),
        bad("secret key '..'", () -> SecretEnv.of("T", "s", ".."), "secretEnv.key '..'",
            "not starting with '..'"),
        bad("secret volume name too long", () -> SecretVolume.of("s".repeat(60), "/s"),
            "secretVolume.secretName", "at most 56 characters"),
        bad("toleration Exists with value", () -> Toleration.builder().key("k").operator("Exists")
                .value("v").build(),
            "toleration.value 'v'", "empty when the operator is Exists"),
        bad("toleration bad effect", () -> Toleration.equal("k", "v", "NoWay"),
            "toleration.effect 'NoWay'", "NoSchedule, PreferNoSchedule or NoExecute"),
        bad("toleration seconds without NoExecute", () -> Toleration.builder().key("k").value("v")
                .effect("NoSchedule").tolerationSeconds(30L).build(),
            "toleration.tolerationSeconds '30'", "only applies to the NoExecute effect"),
        bad("toleration operator", () -> Toleration.builder().key("k").operator("In").build(),
            "toleration.operator 'In'", "Equal or Exists"),
        bad("S3 bucket uppercase", () -> S3Storage.of("Team_Logs"), "bucket 'Team_Logs'",
            "S3 bucket name"),
        bad("S3 prefix with leading slash", () -> S3Storage.of("logs").withPrefix("/spark"),
            "prefix '/spark'", "must not start or end with '/'"),
        bad("S3 endpoint without scheme", () -> S3Storage.of("logs").withEndpoint("minio:9000"),
            "endpoint 'minio:9000'", "http(s) URL"),
        bad("S3 same key for both credentials", () -> S3Storage.builder().bucket("logs")
                .credentialsSecretName("s3").accessKeyKey("k").secretKeyKey("k").build(),
            "secretKeyKey 'k'", "must differ from accessKeyKey"),
        bad("S3 credential key starting with '..'", () -> S3Storage.builder().bucket("logs")
                .credentialsSecretName("s3").accessKeyKey("..id").secretKeyKey("secret").build(),
            "accessKeyKey '..id'", "not starting with '..'"),
        bad("GCS key file named '.'", () -> GcsStorage.of("logs").withKeySecret("gcs-key", "."),
            "keySecretKey '.'", "not '.'"),
        bad("GCS bucket starting with goog", () -> GcsStorage.of("google-logs"),
            "bucket 'google-logs'", "not starting with 'goog'"),
        bad("GCS key and unauthenticated", () -> GcsStorage.of("logs").withUnauthenticated(true)
                .withKeySecret("gcs-key", "key.json"),
            "unauthenticated 'true'", "cannot be set together with keySecretName"),
        bad("GCS prefix with '..'", () -> GcsStorage.of("logs").withPrefix("a/../b"),
            "prefix 'a/../b'", "'..' segments"),
        bad("HDFS namenode with a path", () -> HdfsStorage.of("hdfs://nn:8020/spark", "/x"),
            "namenode 'hdfs://nn:8020/spark'", "without a path"),
        bad("HDFS namenode not hdfs", () -> HdfsStorage.of("s3a://bucket", "/x"),
            "namenode 's3a://bucket'", "hdfs://host:port"),
        bad("HDFS relative path", () -> HdfsStorage.of("hdfs://nn:8020", "spark"),
            "path 'spark'", "absolute path"),
        bad("NFS export without server", () -> NfsStorage.builder().exportPath("/exports").build(),
            "server", "is required for an export"),
        bad("NFS export and claim", () -> NfsStorage.builder().server("nfs").exportPath("/e")
                .existingClaim("shared").build(),
            "existingClaim 'shared'", "choose an export or a claim"),
        bad("storage name too long", () -> NfsStorage.claim("c").withName("n".repeat(41)),
            "name '" + "n".repeat(41) + "'", "at most 40 characters"),
        bad("event log codec", () -> EventLog.to(NfsStorage.claim("c")).withCompressionCodec("gzip"),
            "compressionCodec 'gzip'", "lz4, lzf, snappy, zstd, none"),
        bad("event log rolling too small", () -> EventLog.to(NfsStorage.claim("c")).withRolling("1m"),
            "rollingMaxFileSize '1m'", "at least 10m"),
        bad("two backends with one name", () -> job().addStorage(NfsStorage.claim("a"))
                .addStorage(NfsStorage.claim("b")).build(),
            "storage 'nfs'", "two backends share this name"),
        bad("event log conflicting with sparkConf", () -> job()
                .putSparkConf("spark.eventLog.dir", "hdfs://other/logs")
                .eventLog(EventLog.to(NfsStorage.claim("c"))).build(),
            "eventLog 'spark.eventLog.dir=file:///mnt/sparkk8s/nfs/spark-events'",
            "conflicts with spark.eventLog.dir=hdfs://other/logs set by sparkConf"),
        bad("two GCS backends with different endpoints", () -> job()
                .addStorage(GcsStorage.of("a-data").withName("a").withEndpoint("http://one:4443"))
                .addStorage(GcsStorage.of("b-data").withName("b").withEndpoint("http://two:4443"))
                .build(),
            "storage[b] 'spark.hadoop.fs.gs.storage.root.url=http://two:4443'",
            "conflicts with spark.hadoop.fs.gs.storage.root.url=http://one:4443 set by storage[a]"),
        bad("backend mount clashes with a volume", () -> job()
                .addVolume(Volume.emptyDir("scratch", "/mnt/sparkk8s/nfs"))
                .addStorage(NfsStorage.claim("shared")).build(),
            "mountPath '/mnt/sparkk8s/nfs'", "two volumes or secrets are mounted at the same path"),
        bad("open notebook on a public address", () -> NotebookEnvironment.jupyter("lab")
                .withExposure(Exposure.LOAD_BALANCER).withoutAuthentication(),
            "authentication 'false'", "may only be reachable inside the cluster"),
        bad("History Server on a public address without a login", () -> HistoryServer.reading(
                EventLog.to(NfsStorage.claim("shared"))).withExposure(Exposure.LOAD_BALANCER),
            "exposure 'LOAD_BALANCER'", "asks for no login"),
        bad("notebook name too long", () -> NotebookEnvironment.jupyter("n".repeat(25)),
            "name '" + "n".repeat(25) + "'", "at most 24 characters"),
        bad("notebook run as root", () -> NotebookEnvironment.jupyter("lab").withRunAsUser(0),
            "runAsUser '0'", "non-root"),
        bad("notebook overriding the master", () -> NotebookEnvironment.builder().name("lab")
                .putSparkConf("spark.master", "local[*]").build(),
            "sparkConf 'spark.master'", "set by the SDK"),
        bad("History Server on S3 without connectors", () -> HistoryServer.reading(
                EventLog.to(S3Storage.of("logs"))),
            "imageHasConnectors 'false'", "reads s3a:// with the connector on its own classpath"),
        bad("History Server cleaner under a minute", () -> HistoryServer.reading(
                EventLog.to(NfsStorage.claim("c"))).withCleanerMaxAge(java.time.Duration.ofSeconds(5)),
            "cleanerMaxAge 'PT5S'", "at least one minute"),
        bad("platform name starting with a digit", () -> SparkPlatform.builder().name("1team").build(),
            "name '1team'", "must start with a letter"),
        bad("two notebooks with one name", () -> SparkPlatform.builder().name("team")
                .addNotebook(NotebookEnvironment.jupyter("lab"))
                .addNotebook(NotebookEnvironment.jupyter("lab")).build(),
            "notebooks 'lab'", "notebook names must be unique"),
        bad("Zeppelin 0.12 on Spark 4", () -> NotebookEnvironment.zeppelin("zep").withSparkVersion("4.1.1"),
            "sparkVersion '4.1.1'", "Zeppelin 0.12.0 drives Spark 3.3 to 3.5 only"),
        bad("Zeppelin 0.12 on Spark 3.2", () -> NotebookEnvironment.zeppelin("zep").withSparkVersion("3.2.4"),
            "sparkVersion '3.2.4'", "Zeppelin 0.12.0 drives Spark 3.3 to 3.5 only"),
        bad("Zeppelin version garbage", () -> NotebookEnvironment.zeppelin("zep").withZeppelinVersion("latest"),
            "zeppelinVersion 'latest'", "must be a Zeppelin version such as 0.12.0"),
        bad("anonymous Zeppelin on a public address", () -> NotebookEnvironment.zeppelin("zep")
                .withExposure(Exposure.NODE_PORT).withoutAuthentication(),
            "authentication 'false'", "may only be reachable inside the cluster"),
        bad("platform Spark 4 for a Zeppelin notebook", () -> SparkPlatform.builder().name("team")
                .sparkVersion("4.1.1").addNotebook(NotebookEnvironment.zeppelin("zep")).build(),
            "notebooks[zep].sparkVersion '4.1.1'", "drives Spark 3.3 to 3.5 only",
            "with the platform's defaults"),
        bad("platform Spark version garbage", () -> SparkPlatform.builder().name("team")
                .sparkVersion("newest").build(),
            "sparkVersion 'newest'", "Spark version such as 4.1.1"),
        bad("platform Spark image with a space", () -> SparkPlatform.builder().name("team")
                .sparkImage("apache/spark 4").build(),
            "sparkImage 'apache/spark 4'", "container image reference"),
        bad("History Server with no event log anywhere", () -> SparkPlatform.builder().name("team")
                .historyServer(HistoryServer.readingPlatformEventLog()).build(),
            "historyServer.eventLog", "is required: set one on the History Server or the platform's"),
        bad("platform event log on S3 for a History Server without connectors", () ->
                SparkPlatform.builder().name("team").eventLog(EventLog.to(S3Storage.of("logs")))
                    .historyServer(HistoryServer.readingPlatformEventLog()).build(),
            "historyServer.imageHasConnectors 'false'", "reads s3a://", "with the platform's defaults"),
        bad("platform account named like a notebook's", () -> SparkPlatform.builder().name("team")
                .serviceAccount("team-lab-spark").addNotebook(NotebookEnvironment.jupyter("lab")).build(),
            "serviceAccount 'team-lab-spark'", "is the account of notebook 'lab'"),
        bad("platform account not a DNS name", () -> SparkPlatform.builder().name("team")
                .serviceAccount("Spark_Jobs").build(),
            "serviceAccount 'Spark_Jobs'", "DNS-1123"),
        bad("Spark Connect on Spark 3.5", () -> SparkConnectServer.builder().name("connect")
                .sparkVersion("3.5.6").build(),
            "sparkVersion '3.5.6'", "must be 4.0 or later"),
        bad("Spark Connect port in conf", () -> SparkConnectServer.builder().name("connect")
                .putSparkConf("spark.connect.grpc.binding.port", "9999").build(),
            "sparkConf 'spark.connect.grpc.binding.port'", "the port the driver Service opens"),
        bad("Spark Connect idle timeout too short", () -> SparkConnectServer.builder()
                .name("connect").idleTimeout(java.time.Duration.ofSeconds(5)).build(),
            "idleTimeout 'PT5S'", "at least 10 seconds"),
        bad("Spark Connect idle timeout without UI", () -> SparkConnectServer.builder()
                .name("connect").idleTimeout(java.time.Duration.ofMinutes(5))
                .putSparkConf("spark.ui.enabled", "false").build(),
            "spark.ui.enabled=false", "reads the driver's jobs from its UI's REST API"),
        bad("Spark Connect idle timeout with another UI port", () -> SparkConnectServer.builder()
                .name("connect").idleTimeout(java.time.Duration.ofMinutes(5))
                .putSparkConf("spark.ui.port", "4050").build(),
            "spark.ui.port=4050", "REST API on port 4040"),
        bad("Celeborn with an even number of masters", () -> CelebornShuffle.of(2, 3),
            "masterReplicas '2'", "odd number", "Raft"),
        bad("Celeborn without workers", () -> CelebornShuffle.of(3, 0),
            "workerReplicas '0'", "at least 1"),
        bad("Celeborn worker disk size not a quantity", () -> CelebornShuffle.builder()
                .workerDiskSize("lots").build(),
            "workerDiskSize 'lots'", "Kubernetes quantity"),
        bad("Celeborn too old", () -> CelebornShuffle.builder().version("0.2.1").build(),
            "version '0.2.1'", "0.3.0 or later"),
        bad("Celeborn conf overriding an SDK key", () -> CelebornShuffle.builder()
                .putCelebornConf("celeborn.worker.storage.dirs", "/tmp").build(),
            "celebornConf 'celeborn.worker.storage.dirs'", "set by the SDK"),
        bad("Celeborn conf not celeborn.*", () -> CelebornShuffle.builder()
                .putCelebornConf("spark.x", "y").build(),
            "celebornConf 'spark.x'", "must start with 'celeborn.'"),
        bad("Celeborn platform with a Spark 3.5 notebook and no client jar in the image",
            () -> SparkPlatform.builder().name("team").shuffleService(CelebornShuffle.defaults())
                .addNotebook(NotebookEnvironment.builder().name("lab").sparkVersion("3.5.6").build())
                .build(),
            "notebooks[lab].sparkVersion '3.5.6'", "SPARK-45762", "clientJarInImage(true)"),
        bad("Celeborn 0.5 platform with a Spark 4 notebook", () -> SparkPlatform.builder().name("team")
                .shuffleService(CelebornShuffle.builder().version("0.5.4").build())
                .addNotebook(NotebookEnvironment.jupyter("lab")).build(),
            "notebooks[lab].sparkVersion '4.1.1'", "Spark 4 client", "from 0.6.0"),
        bad("notebook named like a shuffle component", () -> SparkPlatform.builder().name("team")
                .shuffleService(CelebornShuffle.defaults())
                .addNotebook(NotebookEnvironment.jupyter("celeborn-master")).build(),
            "notebooks 'celeborn-master'", "shuffle service component"),
        bad("hostPath shuffle service without the Pod Security opt-out",
            () -> HostPathShuffleService.builder().hostDirectory("/var/lib/spark-shuffle").build(),
            "allowHostPath 'false'", "not allowed by the restricted or baseline Pod Security level",
            "pod-security.kubernetes.io/enforce=privileged"),
        bad("hostPath shuffle directory relative", () -> HostPathShuffleService
                .inPrivilegedNamespace("spark-shuffle"),
            "hostDirectory 'spark-shuffle'", "absolute directory path"),
        bad("hostPath shuffle directory of the system", () -> HostPathShuffleService
                .inPrivilegedNamespace("/proc/spark"),
            "hostDirectory '/proc/spark'", "system directory"),
        bad("hostPath shuffle service on a privileged port", () -> HostPathShuffleService
                .inPrivilegedNamespace("/var/lib/spark-shuffle").withPort(80),
            "port '80'", "from 1024 to 65535"),
        bad("shuffle tracking timeout not a duration", () -> ShuffleTracking.defaults().withTimeout("soon"),
            "timeout 'soon'", "Spark duration"),
        // Found by the bad-input property (CompilePropertyTest, CompileFuzzE2E):
        bad("conf port not a number", () -> job().putSparkConf("spark.ui.port", "ui").build(),
            "sparkConf[spark.ui.port] 'ui'", "port number from 1 to 65535"),
        bad("conf port out of range", () -> job().putSparkConf("spark.driver.port", "65536").build(),
            "sparkConf[spark.driver.port] '65536'", "port number"),
        bad("conf ports clash", () -> job().putSparkConf("spark.ui.port", "7078").build(),
            "sparkConf 'ports [7078, 7079, 7078, 15002]'", "ports must differ"),
        bad("conf cpu request not a quantity", () -> job()
                .putSparkConf("spark.kubernetes.driver.request.cores", "lots").build(),
            "sparkConf[spark.kubernetes.driver.request.cores] 'lots'", "Kubernetes quantity"),
        bad("conf driver cores not a number", () -> job().putSparkConf("spark.driver.cores", "1g").build(),
            "sparkConf[spark.driver.cores] '1g'", "whole number of cores"),
        bad("conf memory not a size", () -> job().putSparkConf("spark.driver.memory", "big").build(),
            "sparkConf[spark.driver.memory] 'big'", "Spark memory size"),
        bad("memory overflowing", () -> Driver.builder().memory("9999999999p").build(),
            "driver.memory '9999999999p'", "at most 1024p"),
        bad("conf overhead factor", () -> job()
                .putSparkConf("spark.kubernetes.memoryOverheadFactor", "ten").build(),
            "sparkConf[spark.kubernetes.memoryOverheadFactor] 'ten'", "greater than 0"),
        bad("conf label value", () -> job()
                .putSparkConf("spark.kubernetes.driver.label.team", "a b").build(),
            "sparkConf[spark.kubernetes.driver.label.*][team] 'a b'", "label value"),
        bad("conf reserved label", () -> job()
                .putSparkConf("spark.kubernetes.driver.label.spark-role", "x").build(),
            "sparkConf 'spark.kubernetes.driver.label.spark-role'", "label Spark sets itself"),
        bad("conf annotation key", () -> job()
                .putSparkConf("spark.kubernetes.driver.annotation.a b", "x").build(),
            "sparkConf 'a b'", "qualified name"),
        bad("conf env name", () -> job().putSparkConf("spark.kubernetes.driverEnv.1X", "x").build(),
            "sparkConf '1X'", "environment variable name"),
        bad("conf scheduler name", () -> job()
                .putSparkConf("spark.kubernetes.driver.scheduler.name", "My Scheduler").build(),
            "sparkConf[spark.kubernetes.driver.scheduler.name] 'My Scheduler'", "DNS-1123 subdomain"),
        bad("conf ip families", () -> job()
                .putSparkConf("spark.kubernetes.driver.service.ipFamilies", "IPv5").build(),
            "sparkConf[spark.kubernetes.driver.service.ipFamilies] 'IPv5'", "IPv4, IPv6 or both"),
        bad("conf ip family policy", () -> job()
                .putSparkConf("spark.kubernetes.driver.service.ipFamilyPolicy", "yes").build(),
            "sparkConf[spark.kubernetes.driver.service.ipFamilyPolicy] 'yes'", "SingleStack"),
        bad("conf local dir relative", () -> job().putSparkConf("spark.local.dir", "/a,tmp").build(),
            "sparkConf[spark.local.dir] '/a,tmp'", "absolute paths"),
        bad("conf local dir on a volume's path", () -> job().putSparkConf("spark.local.dir", "/data")
                .addVolume(Volume.emptyDir("data", "/data")).build(),
            "mountPath '/data'", "same path"),
        bad("conf resource vendor without amount", () -> job()
                .putSparkConf("spark.driver.resource.gpu.vendor", "nvidia.com").build(),
            "sparkConf[spark.driver.resource.gpu.amount]", "whole number of at least 1"),
        bad("conf owned: pull policy", () -> job()
                .putSparkConf("spark.kubernetes.container.image.pullPolicy", "Sometimes").build(),
            "sparkConf 'spark.kubernetes.container.image.pullPolicy'", "use imagePullPolicy instead"),
        bad("conf owned: service account", () -> job()
                .putSparkConf("spark.kubernetes.authenticate.driver.serviceAccountName", "admin").build(),
            "use serviceAccount instead"),
        bad("conf owned: secrets", () -> job()
                .putSparkConf("spark.kubernetes.driver.secrets.creds", "/opt/spark/conf").build(),
            "sparkConf 'spark.kubernetes.driver.secrets.creds'", "use secretVolumes instead"),
        bad("conf owned: volumes", () -> job()
                .putSparkConf("spark.kubernetes.driver.volumes.hostPath.h.mount.path", "/h").build(),
            "use volumes instead"),
        bad("cpu request above limit", () -> job()
                .driver(Driver.builder().coreRequest("2").coreLimit("1").build()).build(),
            "driver.coreLimit '1'", "at least the CPU request (2)"),
        bad("cores above limit", () -> job()
                .executor(Executor.builder().cores(4).coreLimit("500m").build()).build(),
            "executor.coreLimit '500m'", "at least the CPU request (4)"),
        bad("NUL in an argument", () -> job().addArgument("a\0b").build(),
            "arguments 'a\\u0000b'", "without NUL"),
        bad("argument over 128 KiB", () -> job().addArgument("x".repeat(200_000)).build(),
            "arguments '200000 characters'", "MAX_ARG_STRLEN"),
        bad("unpaired surrogate in an annotation", () -> job().putAnnotation("note", "a\uD800").build(),
            "annotations[note] 'a\\ud800'", "unpaired surrogates"),
        bad("unpaired surrogate in env", () -> job().putEnv("X", "\uDC00").build(),
            "env[X]", "valid Unicode"),
        bad("NUL in env", () -> job().putEnv("X", "a\0").build(), "env[X]", "without NUL"),
        bad("image not a reference", () -> job().image("\uD825").build(), "image", "image reference"),
        bad("image with uppercase path", () -> job().image("Apache/Spark").build(),
            "image 'Apache/Spark'", "image reference"),
        bad("toleration value not a label value", () -> Toleration.equal("k", "a b", null),
            "toleration[value] 'a b'", "label value"),
        bad("hostPath under the restricted level", () -> job()
                .addVolume(Volume.hostPath("h", "/data", "/h")).build(),
            "volumes 'h'", "not allowed by the restricted Pod Security level"),
        bad("nfs under the restricted level", () -> job()
                .addVolume(Volume.nfs("n", "nfs.example.com", "/export", "/n")).build(),
            "volumes 'n'", "restrictedSecurityContext(false)"),
        bad("per-executor claim on the driver", () -> job().addVolume(
                Volume.persistentVolumeClaim("d", "data-SPARK_EXECUTOR_ID", "/d")).build(),
            "volumes 'd'", "mount it on EXECUTORS only"),
        bad("spark.properties over a ConfigMap's 1 MiB", () -> job()
                .putSparkConf("spark.big", "x".repeat(1024 * 1024)).build(),
            "bytes of spark.properties", "must fit the driver's ConfigMap"),
        bad("driver annotations over 256 KiB together", () -> job()
                .putAnnotation("a", "x".repeat(200 * 1024))
                .driver(Driver.builder().putAnnotation("b", "x".repeat(200 * 1024)).build()).build(),
            "annotations", "must total at most 256 KiB"),
        bad("more executors than the limit", () -> job()
                .executor(Executor.builder().instances(5000).build()).build(),
            "executor.instances '5000'", "at most limits.maxExecutors (1000)"),
        bad("Spark's authentication key in conf", () -> job()
                .putSparkConf("spark.authenticate.secret", "hunter2").build(),
            "sparkConf 'spark.authenticate.secret'", "use authenticationSecret(secretName)"),
        bad("a system priority class", () -> job().priorityClassName("system-node-critical").build(),
            "priorityClassName 'system-node-critical'", "allowSystemPriority(true)"),
        bad("YuniKorn queue with an empty part", () -> GangScheduling.yunikorn().withQueue("root..spark"),
            "gangScheduling.queue 'root..spark'", "YuniKorn queue path"),
        bad("YuniKorn queue ending with a dot", () -> GangScheduling.yunikorn().withQueue("root."),
            "gangScheduling.queue 'root.'", "YuniKorn queue path"),
        bad("YuniKorn queue over 63 characters",
            () -> GangScheduling.yunikorn().withQueue("root." + "q".repeat(60)),
            "gangScheduling.queue", "at most 63"),
        bad("Volcano queue not an object name", () -> GangScheduling.volcano().withQueue("Team_A"),
            "gangScheduling.queue 'Team_A'", "DNS-1123 subdomain"),
        bad("negative gang minimum", () -> GangScheduling.volcano().withMinExecutors(-1),
            "gangScheduling.minExecutors '-1'", "must not be negative"),
        bad("placeholder timeout for Volcano",
            () -> GangScheduling.volcano().withPlaceholderTimeout(java.time.Duration.ofMinutes(1)),
            "gangScheduling.placeholderTimeout 'PT1M'", "is a YuniKorn setting"),
        bad("gang style for Volcano",
            () -> GangScheduling.volcano().withStyle(GangScheduling.Style.HARD),
            "gangScheduling.style 'HARD'", "is a YuniKorn setting"),
        bad("placeholder timeout of a fraction of a second",
            () -> GangScheduling.yunikorn().withPlaceholderTimeout(java.time.Duration.ofMillis(1500)),
            "gangScheduling.placeholderTimeout 'PT1.5S'", "positive whole number of seconds"),
        bad("zero placeholder timeout",
            () -> GangScheduling.yunikorn().withPlaceholderTimeout(java.time.Duration.ZERO),
            "gangScheduling.placeholderTimeout 'PT0S'", "positive whole number of seconds"),
        bad("scheduler name not a DNS subdomain",
            () -> GangScheduling.yunikorn().withSchedulerName("YuniKorn"),
            "gangScheduling.schedulerName 'YuniKorn'", "DNS-1123 subdomain"),
        bad("gang minimum above executor instances", () -> job()
                .executor(Executor.builder().instances(3).build())
                .gangScheduling(GangScheduling.volcano().withMinExecutors(4)).build(),
            "gangScheduling.minExecutors '4'", "must be at most executor.instances (3)"),
        bad("gang minimum above Spark's default instances", () -> job()
                .gangScheduling(GangScheduling.yunikorn().withMinExecutors(3)).build(),
            "gangScheduling.minExecutors '3'", "executor.instances (2, Spark's default)"),
        bad("gang minimum above dynamic allocation's maximum", () -> job()
                .dynamicAllocation(DynamicAllocation.between(1, 4))
                .gangScheduling(GangScheduling.yunikorn().withMinExecutors(5)).build(),
            "gangScheduling.minExecutors '5'", "at most dynamicAllocation.maxExecutors (4)"),
        bad("scheduler name in conf with a gang", () -> job()
                .putSparkConf("spark.kubernetes.scheduler.name", "default-scheduler")
                .gangScheduling(GangScheduling.volcano()).build(),
            "sparkConf 'spark.kubernetes.scheduler.name'", "is set by gangScheduling"),
        bad("executor scheduler name in conf with a gang", () -> job()
                .putSparkConf("spark.kubernetes.executor.scheduler.name", "volcano")
                .gangScheduling(GangScheduling.volcano()).build(),
            "sparkConf 'spark.kubernetes.executor.scheduler.name'", "is set by gangScheduling"),
        bad("queue label by hand with YuniKorn", () -> job().putLabel("queue", "root.a")
                .gangScheduling(GangScheduling.yunikorn()).build(),
            "labels 'queue'", "is a label the yunikorn gang scheduling of this job sets or reads"),
        bad("canonical YuniKorn queue label on executors", () -> job()
                .executor(Executor.builder().putLabel("yunikorn.apache.org/queue", "root.b").build())
                .gangScheduling(GangScheduling.yunikorn().withQueue("root.a")).build(),
            "executor.labels 'yunikorn.apache.org/queue'", "sets or reads"),
        bad("task groups annotation by hand", () -> job()
                .driver(Driver.builder().putAnnotation("yunikorn.apache.org/task-groups", "[]").build())
                .gangScheduling(GangScheduling.yunikorn()).build(),
            "driver.annotations 'yunikorn.apache.org/task-groups'", "sets or reads"),
        bad("YuniKorn's legacy application id label with YuniKorn", () -> job()
                .putLabel("applicationId", "mine").gangScheduling(GangScheduling.yunikorn()).build(),
            "labels 'applicationId'", "yunikorn gang scheduling"),
        bad("Volcano group annotation by hand", () -> job()
                .putAnnotation("scheduling.k8s.io/group-name", "mine")
                .gangScheduling(GangScheduling.volcano()).build(),
            "annotations 'scheduling.k8s.io/group-name'", "volcano gang scheduling"),
        bad("YuniKorn app id annotation in conf", () -> job()
                .putSparkConf("spark.kubernetes.executor.annotation.yunikorn.apache.org/app-id", "x")
                .gangScheduling(GangScheduling.yunikorn()).build(),
            "sparkConf 'spark.kubernetes.executor.annotation.yunikorn.apache.org/app-id'",
            "is set by the yunikorn gang scheduling"),
        bad("Spark's VolcanoFeatureStep, absent from the official image", () -> job()
                .putSparkConf("spark.kubernetes.driver.pod.featureSteps",
                    "org.apache.spark.deploy.k8s.features.VolcanoFeatureStep").build(),
            "sparkConf[spark.kubernetes.driver.pod.featureSteps]", "not in Spark's released jar",
            "gangScheduling(GangScheduling.volcano())"),
        bad("Volcano PodGroup template file", () -> job()
                .putSparkConf("spark.kubernetes.scheduler.volcano.podGroupTemplateFile", "/pg.yaml")
                .build(),
            "sparkConf 'spark.kubernetes.scheduler.volcano.podGroupTemplateFile'",
            "read only by VolcanoFeatureStep"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void rejectedAtBuildWithAClearMessage(String what, Supplier<?> build, List<String> fragments) {
    assertThatThrownBy(build::get)
        .isInstanceOf(InvalidDescriptionException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  @org.junit.jupiter.api.Test
  void reportsEveryProblemOfOneDescriptionTogether() {
    assertThatThrownBy(() -> job().name("Bad_Name").namespace("Bad.NS").serviceAccount("SA")
        .runAsUser(0).build())
        .isInstanceOfSatisfying(InvalidDescriptionException.class, e -> {
          assertThat(e.problems()).extracting(InvalidDescriptionException.Problem::attribute)
              .containsExactlyInAnyOrder("name", "namespace", "serviceAccount", "runAsUser");
          assertThat(e.getMessage()).startsWith("Invalid SparkJob: 4 problems");
        });
  }

  @org.junit.jupiter.api.Test
  void missingMandatoryAttributesAreListedAtOnce() {
    assertThatThrownBy(() -> SparkJob.builder().namespace("jobs").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("name").hasMessageContaining("application");
  }
}
