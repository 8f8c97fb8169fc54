package io.sparkk8s.storage.client.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.client.ApplicationSummary;
import io.sparkk8s.storage.client.DependencyStager;
import io.sparkk8s.storage.client.StagedFile;
import io.sparkk8s.storage.client.EventLogReader;
import io.sparkk8s.storage.client.StorageAccess;
import io.sparkk8s.storage.client.StorageCredentials;
import io.sparkk8s.storage.client.oracle.SparkOracle.App;
import io.sparkk8s.storage.client.oracle.SparkOracle.HistoryServer;
import io.sparkk8s.storage.client.oracle.SparkOracle.Listed;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.HdfsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: real Spark 4.1.1 (local mode, child JVM) writes event logs to each backend with the
 * conf the SDK compiles ({@code backend.sparkConf()} + {@code EventLog.sparkConf()}); Spark's own
 * History Server lists them through {@code /api/v1/applications}; the event log reader must return
 * the same applications with the same names, times, durations and status. Every codec and the
 * rolling format are written by Spark itself.
 */
@ExtendWith(StorageServers.class)
class EventLogOracleTest {

  @Test
  void localDirectoryAsAnNfsMountWithEveryCodecAndRolling(@TempDir Path mount) throws Exception {
    NfsStorage nfs = NfsStorage.claim("team-share").withName("share").withPath("spark");
    StorageAccess access = StorageAccess.of(nfs).withLocalMount(mount);
    // Pods mount the claim at /mnt/sparkk8s/share; here the mount is the temporary directory.
    String podMount = "file://" + nfs.mountPath();
    String hereMount = mount.toUri().toString().replaceAll("/$", "");
    UnaryOperator<String> toHere = v -> v.replace(podMount, hereMount)
        .replace("local://" + nfs.mountPath(), "local://" + mount.toAbsolutePath());
    EventLog plain = EventLog.to(nfs);
    roundTrip(access, List.of(single(plain), single(plain.withCompressionCodec("lz4")),
        single(plain.withCompressionCodec("lzf")), single(plain.withCompressionCodec("snappy")),
        single(plain.withCompressionCodec("zstd")),
        sdk(plain.withRolling("10m").withCompressionCodec("zstd")), sdk(plain)),
        Map.of(), toHere);
  }

  @Test
  void hdfsThroughMiniDfsCluster(HdfsServer hdfs) throws Exception {
    HdfsStorage backend = HdfsStorage.of(hdfs.namenode(), "/spark");
    EventLog plain = EventLog.to(backend).withDirectory("history");
    roundTrip(StorageAccess.of(backend), List.of(single(plain), sdk(plain.withRolling("10m")
        .withCompressionCodec("lz4"))), Map.of(), UnaryOperator.identity());
  }

  @Test
  void s3ThroughVersitygw(S3Server s3) throws Exception {
    s3.createBucket("oracle-logs");
    S3Storage backend = S3Storage.of("oracle-logs").withPrefix("team/a")
        .withEndpoint(s3.endpoint()).withPathStyleAccess(true).withCredentialsSecret("s3-creds");
    StorageAccess access = StorageAccess.of(backend,
        StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    EventLog plain = EventLog.to(backend);
    // As in pods: the keys reach Spark as the variables the Secret fills (secretKeyRef), never conf.
    Map<String, String> env = Map.of(S3Storage.ACCESS_KEY_ENV, S3Server.ACCESS_KEY,
        S3Storage.SECRET_KEY_ENV, S3Server.SECRET_KEY);
    roundTrip(access, List.of(single(plain.withCompressionCodec("zstd")),
        sdk(plain.withRolling("10m").withCompressionCodec("snappy"))), env,
        UnaryOperator.identity());
    // Neither Spark nor its History Server ever printed the secret key.
    assertThat(SparkOracle.log("spark-apps-s3")).doesNotContain(S3Server.SECRET_KEY);
    assertThat(SparkOracle.log("history-server-s3")).doesNotContain(S3Server.SECRET_KEY);
  }

  @Test
  void gcsThroughFakeGcsServerAndTheGcsConnector(GcsServer gcs) throws Exception {
    gcs.createBucket("oracle-logs");
    GcsStorage backend = GcsStorage.of("oracle-logs").withPrefix("team")
        .withEndpoint(gcs.endpoint()).withUnauthenticated(true);
    EventLog plain = EventLog.to(backend);
    // fake-gcs-server lacks the JSON API's objects.move, which connector 3.0 renames with by
    // default; real Cloud Storage has it. Renames fall back to copy and delete.
    roundTrip(StorageAccess.of(backend), List.of(single(plain),
        sdk(plain.withRolling("10m").withCompressionCodec("lz4"))), Map.of(),
        UnaryOperator.identity(), Map.of("spark.hadoop.fs.gs.operation.move.enable", "false"));
  }

  @Test
  void anApplicationStillRunningIsInProgressForBothThenCompleted(@TempDir Path dir)
      throws Exception {
    NfsStorage nfs = NfsStorage.claim("team-share").withName("live");
    StorageAccess access = StorageAccess.of(nfs).withLocalMount(dir);
    UnaryOperator<String> toHere = v -> v.replace("file://" + nfs.mountPath(),
        dir.toUri().toString().replaceAll("/$", ""));
    EventLog log = EventLog.to(nfs);   // Spark 4's defaults: rolling, zstd
    access.ensureDirectory(log.directory());
    SortedMap<String, String> conf = sdkConf(nfs.sparkConf(SparkOracle.SPARK_VERSION));
    conf.putAll(log.sparkConf());
    conf.replaceAll((k, v) -> toHere.apply(v));
    SortedMap<String, String> hsConf = sdkConf(log.historyServerConf(SparkOracle.SPARK_VERSION));
    hsConf.replaceAll((k, v) -> toHere.apply(v));
    try (SparkOracle.RunningApp app = SparkOracle.start(new App("oracle-live-running", conf),
            Map.of(), "spark-live");
         HistoryServer hs = HistoryServer.start(hsConf, Map.of(), List.of(), "history-live")) {
      List<Listed> running = hs.awaitApplications(List.of(app.appId()), l -> true);
      ApplicationSummary live;
      try (EventLogReader reader = EventLogReader.open(access)) {
        live = reader.applications(log).stream().filter(a -> a.id().equals(app.appId()))
            .findFirst().orElseThrow();
      }
      Listed listed = running.stream().filter(l -> l.id().equals(app.appId())).findFirst()
          .orElseThrow();
      assertThat(listed.completed()).isFalse();
      assertThat(live.completed()).isFalse();
      assertThat(live.endTime()).isEmpty();
      assertThat(live.name()).isEqualTo(listed.name()).isEqualTo("oracle-live-running");
      assertThat(live.startTime().toEpochMilli()).isEqualTo(listed.startTimeEpoch());
      assertThat(live.rolling()).isTrue();
      assertThat(live.compressionCodec()).contains("zstd");

      app.finish();
      List<Listed> done = hs.awaitApplications(List.of(app.appId()),
          l -> l.stream().anyMatch(a -> a.id().equals(app.appId()) && a.completed()));
      Listed finished = done.stream().filter(l -> l.id().equals(app.appId())).findFirst()
          .orElseThrow();
      ApplicationSummary ended;
      try (EventLogReader reader = EventLogReader.open(access)) {
        ended = reader.applications(log).get(0);
      }
      assertThat(ended.id()).isEqualTo(app.appId());
      assertThat(ended.completed()).isTrue();
      assertThat(ended.endTime().orElseThrow().toEpochMilli()).isEqualTo(finished.endTimeEpoch());
      assertThat(ended.duration().toMillis()).isEqualTo(finished.duration());
    }
  }

  /**
   * An event log conf: the SDK's as is, or forced to Spark 3's defaults (one file, uncompressed
   * unless a codec is named). Spark 4 rolls and zstd-compresses event logs by default
   * ({@code spark.eventLog.rolling.enabled} and {@code spark.eventLog.compress} are true).
   */
  record Variant(EventLog log, boolean singleFile) {
    boolean rolling() {
      return !singleFile;
    }

    Optional<String> codec() {
      return singleFile ? log.compressionCodec() : log.compressionCodec().or(() -> Optional.of("zstd"));
    }
  }

  static Variant sdk(EventLog log) {
    return new Variant(log, false);
  }

  static Variant single(EventLog log) {
    return new Variant(log, true);
  }

  /**
   * Runs one Spark application per event log conf (all logs share one directory), then compares
   * the History Server's listing with the reader's.
   */
  private static void roundTrip(StorageAccess access, List<Variant> variants,
      Map<String, String> env, UnaryOperator<String> toHere) throws Exception {
    roundTrip(access, variants, env, toHere, Map.of());
  }

  private static void roundTrip(StorageAccess access, List<Variant> variants,
      Map<String, String> env, UnaryOperator<String> toHere, Map<String, String> serverQuirks)
      throws Exception {
    StorageBackend backend = access.backend();
    EventLog first = variants.get(0).log();
    access.ensureDirectory(first.directory());
    // A jar staged by the SDK that Spark must fetch from the backend before its first task runs.
    StagedFile jar = DependencyStager.to(access).stage(Path.of(SparkOracle.appJar()));
    List<App> apps = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      EventLog log = variants.get(i).log();
      SortedMap<String, String> conf = sdkConf(backend.sparkConf(SparkOracle.SPARK_VERSION));
      conf.putAll(log.sparkConf());
      conf.putAll(serverQuirks);
      conf.put("spark.jars", toHere.apply(jar.jobUri()));
      if (variants.get(i).singleFile()) {
        conf.put("spark.eventLog.rolling.enabled", "false");
        conf.putIfAbsent("spark.eventLog.compress", "false");
      }
      conf.replaceAll((k, v) -> toHere.apply(v));
      apps.add(new App("oracle-" + backend.name() + "-" + i, conf));
    }
    Map<String, String> ids = SparkOracle.run(apps, env, List.of(),
        "spark-apps-" + backend.name());
    assertThat(ids).hasSize(variants.size());
    // Spark's executor fetched the staged jar (local:// shows as file: in its log).
    assertThat(SparkOracle.log("spark-apps-" + backend.name()).lines()
        .filter(l -> l.contains("Executor: Fetching "))
        .filter(l -> l.contains("sparkk8s-deps/sha256/" + jar.sha256() + "/")))
        .hasSize(variants.size());

    List<ApplicationSummary> read;
    try (EventLogReader reader = EventLogReader.open(access)) {
      read = reader.applications(first);
    }

    SortedMap<String, String> hsConf = sdkConf(first.historyServerConf(SparkOracle.SPARK_VERSION));
    hsConf.putAll(serverQuirks);
    hsConf.replaceAll((k, v) -> toHere.apply(v));
    List<Listed> listed;
    try (HistoryServer hs = HistoryServer.start(hsConf, env, List.of(),
        "history-server-" + backend.name())) {
      listed = hs.awaitApplications(ids.values(),
          l -> l.stream().filter(a -> ids.containsValue(a.id())).allMatch(Listed::completed));
    }

    assertThat(read).extracting(ApplicationSummary::id)
        .containsExactlyInAnyOrderElementsOf(listed.stream().map(Listed::id).toList())
        .containsExactlyInAnyOrderElementsOf(ids.values());
    for (Listed l : listed) {
      ApplicationSummary a = read.stream().filter(r -> r.id().equals(l.id())).findFirst()
          .orElseThrow();
      assertThat(a.name()).isEqualTo(l.name());
      assertThat(a.completed()).isEqualTo(l.completed()).isTrue();
      assertThat(a.startTime().toEpochMilli()).isEqualTo(l.startTimeEpoch());
      assertThat(a.endTime().orElseThrow().toEpochMilli()).isEqualTo(l.endTimeEpoch());
      assertThat(a.duration().toMillis()).isEqualTo(l.duration()).isPositive();
      assertThat(a.sparkUser()).isEqualTo(l.sparkUser());
      assertThat(a.sparkVersion()).contains(SparkOracle.SPARK_VERSION);
    }
    // The reader saw each log in the format its conf asked Spark for.
    for (int i = 0; i < variants.size(); i++) {
      Variant v = variants.get(i);
      String id = ids.get(apps.get(i).name());
      ApplicationSummary a = read.stream().filter(r -> r.id().equals(id)).findFirst()
          .orElseThrow();
      assertThat(a.name()).isEqualTo(apps.get(i).name());
      assertThat(a.rolling()).as(a.logPath()).isEqualTo(v.rolling());
      assertThat(a.compressionCodec()).as(a.logPath()).isEqualTo(v.codec());
    }
  }

  /**
   * The SDK's conf for a local-mode Spark: everything but the connector download (Ivy), whose jars
   * are on the child's classpath here (no network).
   */
  private static SortedMap<String, String> sdkConf(SortedMap<String, String> conf) {
    SortedMap<String, String> out = new TreeMap<>(conf);
    out.remove("spark.jars.packages");
    out.remove("spark.jars.ivy");
    return out;
  }

}
