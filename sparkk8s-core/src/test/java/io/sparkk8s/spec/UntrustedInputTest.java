package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.Volume;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The findings of the security review of issue 16, each refused at {@code build()} with a message
 * naming the attribute and the rule, and never echoing a secret-looking value.
 */
class UntrustedInputTest {
  static final String NEL = "\u0085";
  static final String INJECTED = "x" + NEL
      + "spark.kubernetes.authenticate.executor.serviceAccountName admin-sa";

  static SparkJob.Builder job() {
    return BadInputTest.job();
  }

  static Arguments refused(String what, Supplier<?> build, String... fragments) {
    return Arguments.of(what, build, List.of(fragments));
  }

  static Stream<Arguments> lineBreaksThatYamlReads() {
    return Stream.of(
        refused("NEL in a conf value (the reported injection)",
            () -> job().putSparkConf("spark.zz.note", INJECTED).build(),
            "sparkConf[spark.zz.note]", "NEL"),
        refused("U+2028 in a conf value", () -> job().putSparkConf("spark.zz.note", "a\u2028b").build(),
            "sparkConf[spark.zz.note]", "U+2028"),
        refused("line feed in a conf value", () -> job().putSparkConf("spark.zz.note", "a\nb").build(),
            "sparkConf[spark.zz.note]", "one line"),
        refused("NEL in a conf key", () -> job().putSparkConf("spark.a" + NEL + "b", "x").build(),
            "sparkConf", "NEL"),
        refused("NEL in env", () -> job().putEnv("MODE", INJECTED).build(), "env[MODE]", "NEL"),
        refused("U+2029 in an argument", () -> job().addArgument("a\u2029b").build(),
            "arguments", "U+2029"),
        refused("carriage return in an argument", () -> job().addArgument("a\r\nb").build(),
            "arguments", "carriage return"),
        refused("NEL in an annotation", () -> job().putAnnotation("example.com/note", INJECTED).build(),
            "annotations[example.com/note]", "NEL"),
        refused("NEL in a mount path", () -> Volume.emptyDir("scratch", "/scratch" + NEL + "x"),
            "volume[scratch].mountPath", "NEL"),
        refused("NEL in a volume option", () -> Volume.persistentVolumeClaim("data", "data", "/data")
            .withSubPath("a" + NEL), "volume[data].subPath", "NEL"),
        refused("NEL in a claim option", () -> Volume.builder().name("v")
            .type(Volume.Type.EMPTY_DIR).mountPath("/v").putOption("medium", "Memory" + NEL).build(),
            "volume[v].options.medium", "NEL"),
        refused("NEL in notebook conf", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.zz.note", INJECTED).build(), "sparkConf[spark.zz.note]", "NEL"),
        refused("NEL in History Server conf", () -> HistoryServer.builder()
            .putSparkConf("spark.zz.note", INJECTED).build(), "sparkConf[spark.zz.note]", "NEL"),
        refused("NEL in a GCS prefix", () -> GcsStorage.of("team-bucket").withPrefix("a" + NEL + "b"),
            "prefix", "NEL"),
        refused("NEL in an S3 prefix", () -> S3Storage.of("team-bucket").withPrefix("a" + NEL),
            "prefix", "NEL"),
        refused("NEL in an HDFS path", () -> HdfsStorage.of("hdfs://nn:8020", "/a" + NEL),
            "path", "NEL"),
        refused("NEL in an NFS path", () -> NfsStorage.claim("shared").withPath("a" + NEL),
            "path", "NEL"),
        refused("NEL in an event log directory", () -> EventLog.to(NfsStorage.claim("shared"))
            .withDirectory("logs" + NEL + "x"), "directory", "NEL"),
        refused("NEL in a platform image", () -> SparkPlatform.builder().name("p")
            .sparkImage("apache/spark" + NEL + "x").build(), "sparkImage", "NEL"),
        refused("DEL in an appName", () -> job().appName("a\u007fb").build(), "appName", "U+007F"),
        refused("a C1 control in a proxy user", () -> job().proxyUser("a\u0090").build(),
            "proxyUser", "U+0090"),
        refused("a BOM in the spark user", () -> job().sparkUser("\uFEFFspark").build(),
            "sparkUser", "byte-order mark"),
        refused("a non-character in a conf value", () -> job().putSparkConf("spark.x", "\uFFFF").build(),
            "sparkConf[spark.x]", "U+FFFF"),
        refused("NEL in the History Server URL", () -> job().historyServerUrl(
            "https://h" + NEL + "x").build(), "historyServerUrl", "NEL"));
  }

  static Stream<Arguments> gapsBeforeTheApiServer() {
    return Stream.of(
        refused("conf dir reached through '.'", () -> job().addVolume(
            Volume.emptyDir("c", "/opt/spark/./conf")).build(), "mountPath", "Spark mounts its own conf"),
        refused("conf dir with a trailing '//'", () -> job().addVolume(
            Volume.emptyDir("c", "/opt/spark//conf//")).build(), "mountPath", "Spark mounts its own conf"),
        refused("'..' in a hostPath", () -> Volume.hostPath("h", "/var/../etc", "/h"),
            "volume[h].options.path '/var/../etc'", "'..'"),
        refused("'..' in a mount path", () -> Volume.emptyDir("e", "/data/../opt/spark/conf"),
            "volume[e].mountPath", "'..'"),
        refused("'..' in a local dir", () -> job().putSparkConf("spark.local.dir",
            "/tmp/../opt/spark/conf").build(), "mountPath", "'..'"),
        refused("notebook dir on /proc", () -> NotebookEnvironment.builder().name("lab")
            .notebookDir("/proc").build(), "notebookDir '/proc'", "container runtime"),
        refused("notebook dir under /sys", () -> NotebookEnvironment.builder().name("lab")
            .notebookDir("/sys/fs").build(), "notebookDir", "container runtime"),
        refused("History Server memory with a line feed", () -> HistoryServer.builder()
            .memory("1g\n").build(), "memory", "one line"),
        refused("History Server memory with a space", () -> HistoryServer.builder()
            .memory(" 1g").build(), "memory", "white space"),
        refused("History Server UI port out of range", () -> HistoryServer.builder()
            .putSparkConf("spark.history.ui.port", "99999").build(),
            "sparkConf 'spark.history.ui.port'", "set by the SDK to 18080"),
        refused("History Server port-like conf out of range", () -> HistoryServer.builder()
            .putSparkConf("spark.history.store.hybridStore.port", "0").build(),
            "sparkConf[spark.history.store.hybridStore.port] '0'", "port number"),
        refused("'..' in a shuffle host directory", () -> HostPathShuffleService
            .inPrivilegedNamespace("/var/lib/" + NEL + "/../../etc"),
            "hostDirectory", "NEL"));
  }

  static Stream<Arguments> notebookConfLikeAJob() {
    return Stream.of(
        refused("a JVM option smuggled into ZEPPELIN_JAVA_OPTS", () -> NotebookEnvironment
            .builder().name("zep").kind(NotebookEnvironment.Kind.ZEPPELIN)
            .putSparkConf("spark.executor.memory", "1g -javaagent:/tmp/x.jar").build(),
            "sparkConf[spark.executor.memory] '1g -javaagent:/tmp/x.jar'", "Spark memory size"),
        refused("a trailing space Spark would trim but the shell splits on", () -> NotebookEnvironment
            .builder().name("zep").kind(NotebookEnvironment.Kind.ZEPPELIN)
            .putSparkConf("spark.driver.memory", "1g ").build(),
            "sparkConf[spark.driver.memory] '1g '", "ZEPPELIN_JAVA_OPTS"),
        refused("a JVM option through minExecutors", () -> NotebookEnvironment.builder().name("zep")
            .kind(NotebookEnvironment.Kind.ZEPPELIN)
            .putSparkConf("spark.dynamicAllocation.minExecutors", "0 -Dx=y").build(),
            "sparkConf[spark.dynamicAllocation.minExecutors]", "whole number"),
        refused("cores that are not a number", () -> NotebookEnvironment.builder().name("zep")
            .putSparkConf("spark.driver.cores", "1;id").build(),
            "sparkConf[spark.driver.cores]", "whole number of cores"),
        refused("NUL in notebook conf", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.x", "a\0b").build(), "sparkConf[spark.x] 'a\\u0000b'", "NUL"),
        refused("notebook pod template", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.kubernetes.executor.podTemplateFile", "/tmp/t.yaml").build(),
            "sparkConf 'spark.kubernetes.executor.podTemplateFile'", "set by the SDK"),
        refused("notebook namespace", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.kubernetes.namespace", "kube-system").build(),
            "sparkConf 'spark.kubernetes.namespace'", "set by the SDK"),
        refused("notebook driver host", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.driver.host", "evil.example.com").build(),
            "sparkConf 'spark.driver.host'", "set by the SDK"),
        refused("notebook hostPath volume", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.kubernetes.executor.volumes.hostPath.root.mount.path", "/h").build(),
            "sparkConf", "use volumes instead"),
        refused("notebook executor service account", () -> NotebookEnvironment.builder().name("lab")
            .putSparkConf("spark.kubernetes.authenticate.executor.serviceAccountName", "admin-sa")
            .build(), "set by the SDK"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"lineBreaksThatYamlReads", "gapsBeforeTheApiServer", "notebookConfLikeAJob"})
  void refusedAtBuildNamingAttributeAndRule(String what, Supplier<?> build, List<String> fragments) {
    assertThatThrownBy(build::get).isInstanceOf(InvalidDescriptionException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments)
            .doesNotContain(NEL).doesNotContain("\u2028").doesNotContain("\0"));
  }

  @Test
  void secretLookingConfIsRedactedInToString() {
    SparkJob job = job().putSparkConf("spark.kubernetes.authenticate.submission.oauthToken", "tok-123")
        .putSparkConf("spark.hadoop.fs.s3a.secret.key", "s3cr3t")
        .putSparkConf("spark.sql.shuffle.partitions", "64")
        .putEnv("API_TOKEN", "abc").putEnv("MODE", "fast")
        .addArgument("--password=hunter2").addArgument("plain")
        .driver(Driver.builder().putEnv("DB_PASSWORD", "pw1").build())
        .build();
    assertThat(job.toString()).doesNotContain("tok-123", "s3cr3t", "abc", "hunter2", "pw1")
        .contains("<redacted>", "spark.sql.shuffle.partitions=64", "MODE=fast", "plain",
            "name=pi", "oauthToken=<redacted>");
    assertThat(job.sparkConf()).containsEntry("spark.hadoop.fs.s3a.secret.key", "s3cr3t");
    NotebookEnvironment nb = NotebookEnvironment.builder().name("lab")
        .putSparkConf("spark.hadoop.fs.azure.account.key.x.password", "pw2").build();
    HistoryServer h = HistoryServer.builder().eventLog(EventLog.to(NfsStorage.claim("shared")))
        .putSparkConf("spark.ssl.keyStorePassword", "pw3").build();
    assertThat(nb.toString()).doesNotContain("pw2").contains("<redacted>");
    assertThat(h.toString()).doesNotContain("pw3").contains("<redacted>");
    assertThat(SparkPlatform.builder().name("p").addNotebook(nb).historyServer(h).build().toString())
        .doesNotContain("pw2", "pw3");
  }

  @Test
  void secretLookingValuesAreRedactedInMessages() {
    var e = catchThrowableOfType(InvalidDescriptionException.class, () -> job()
        .putSparkConf("spark.kubernetes.authenticate.submission.oauthToken", "tok\u0085en-123")
        .putEnv("GITHUB_TOKEN", "ghp\u2028secret")
        .putSparkConf("spark.ui.port", "-----BEGIN RSA PRIVATE KEY-----")
        .build());
    assertThat(e.getMessage()).doesNotContain("en-123", "ghp", "BEGIN RSA")
        .contains("sparkConf[spark.kubernetes.authenticate.submission.oauthToken] '<redacted>'",
            "env[GITHUB_TOKEN] '<redacted>'", "sparkConf[spark.ui.port] '<redacted>'");
    assertThat(e.problems()).extracting(InvalidDescriptionException.Problem::value)
        .containsOnly("<redacted>");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    var e = catchThrowableOfType(InvalidDescriptionException.class, () -> job().putSparkConf("spark.x", "v".repeat(70_000) + NEL)
        .build());
    assertThat(e.getMessage()).contains("...(70001 characters)").hasSizeLessThan(2_000);
  }
}
