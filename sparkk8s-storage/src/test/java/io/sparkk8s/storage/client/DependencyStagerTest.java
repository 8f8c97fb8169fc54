package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.HdfsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stager against each real store: content-addressed upload, the job rewritten to the remote
 * URIs, a second staging skipped, progress for a large file, and the bytes read back from the
 * server itself (not through the stager's own client).
 */
@ExtendWith(StorageServers.class)
class DependencyStagerTest {
  @TempDir Path work;

  /** Reads a staged object back, by the server's own means. */
  interface ReadBack {
    byte[] read(String relativeToRoot) throws Exception;
  }

  @Test
  void s3(S3Server s3) throws Exception {
    s3.createBucket("deps");
    S3Storage backend = S3Storage.of("deps").withPrefix("team").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds");
    StorageAccess access = StorageAccess.of(backend,
        StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    stagesOnceRewritesTheJobAndReportsProgress(access, "s3a://deps/team/",
        rel -> Files.readAllBytes(s3.root().resolve("deps/team").resolve(rel)));
  }

  @Test
  void gcs(GcsServer gcs) throws Exception {
    gcs.createBucket("deps");
    GcsStorage backend = GcsStorage.of("deps").withPrefix("team").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true);
    stagesOnceRewritesTheJobAndReportsProgress(StorageAccess.of(backend), "gs://deps/team/",
        rel -> gcs.download("deps", "team/" + rel));
  }

  @Test
  void hdfs(HdfsServer hdfs) throws Exception {
    HdfsStorage backend = HdfsStorage.of(hdfs.namenode(), "/staging");
    stagesOnceRewritesTheJobAndReportsProgress(StorageAccess.of(backend),
        hdfs.namenode() + "/staging/", rel -> {
          try (InputStream in = hdfs.fileSystem().open(
              new org.apache.hadoop.fs.Path("/staging/" + rel))) {
            return in.readAllBytes();
          }
        });
  }

  @Test
  void nfsThroughALocalMountGivesLocalUris(@TempDir Path mount) throws Exception {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withName("share");
    stagesOnceRewritesTheJobAndReportsProgress(StorageAccess.of(nfs).withLocalMount(mount),
        "local:///mnt/sparkk8s/share/", rel -> Files.readAllBytes(mount.resolve(rel)));
  }

  @Test
  void aMissingLocalFileFailsNamingFieldAndPath(@TempDir Path mount) {
    StorageAccess access = StorageAccess.of(NfsStorage.claim("c")).withLocalMount(mount);
    assertThatThrownBy(() -> DependencyStager.to(access).stage(
        SparkJob.builder().name("etl").namespace("spark"),
        JobFiles.jvm("com.example.Etl", work.resolve("etl.jar").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource").hasMessageContaining(work.resolve("etl.jar").toString())
        .hasMessageContaining("no such file");
  }

  @Test
  void anUnreachableStoreFailsNamingTheBackend() throws Exception {
    Path jar = Files.write(work.resolve("app.jar"), new byte[] {1, 2, 3});
    int port = StorageServers.freePort();
    StorageAccess access = StorageAccess.of(S3Storage.of("deps").withName("team-s3")
            .withEndpoint("http://127.0.0.1:" + port).withPathStyleAccess(true),
        StorageCredentials.s3("a", "b"));
    assertThatThrownBy(() -> DependencyStager.to(access).stage(jar))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.reason()).isEqualTo(StorageException.Reason.UNREACHABLE);
          assertThat(e.backend()).isEqualTo("team-s3");
          assertThat(e.location()).startsWith("s3a://deps/sparkk8s-deps/sha256/");
        });
  }

  private void stagesOnceRewritesTheJobAndReportsProgress(StorageAccess access, String rootJobUri,
      ReadBack readBack) throws Exception {
    Random random = new Random(42);
    byte[] appBytes = new byte[4096];
    random.nextBytes(appBytes);
    byte[] bigBytes = new byte[9 << 20];   // above the progress threshold
    random.nextBytes(bigBytes);
    Path app = Files.write(work.resolve("etl.jar"), appBytes);
    Path big = Files.write(work.resolve("big-dependency.jar"), bigBytes);
    Path conf = Files.writeString(work.resolve("etl.conf"), "rows = 10\n");
    Recorder recorder = new Recorder();
    DependencyStager stager = DependencyStager.to(access).withListener(recorder);

    SparkJob job = stager.stage(SparkJob.builder().name("etl").namespace("spark")
            .addJars("https://repo1.maven.org/maven2/org/example/x/1/x-1.jar"),
        JobFiles.jvm("com.example.Etl", app.toString())
            .withJars(big.toUri().toString(), "local:///opt/spark/jars/extra.jar")
            .withFiles(conf.toString()));

    String appRel = "sparkk8s-deps/sha256/" + sha256(appBytes) + "/etl.jar";
    String bigRel = "sparkk8s-deps/sha256/" + sha256(bigBytes) + "/big-dependency.jar";
    String confRel = "sparkk8s-deps/sha256/" + sha256(Files.readAllBytes(conf)) + "/etl.conf";
    assertThat(job.application().resource()).isEqualTo(rootJobUri + appRel);
    assertThat(job.application().mainClass()).contains("com.example.Etl");
    assertThat(job.jars()).containsExactly(
        "https://repo1.maven.org/maven2/org/example/x/1/x-1.jar", rootJobUri + bigRel,
        "local:///opt/spark/jars/extra.jar");
    assertThat(job.files()).containsExactly(rootJobUri + confRel);
    assertThat(readBack.read(appRel)).isEqualTo(appBytes);
    assertThat(readBack.read(bigRel)).isEqualTo(bigBytes);
    assertThat(readBack.read(confRel)).isEqualTo(Files.readAllBytes(conf));

    assertThat(recorder.finished).hasSize(3);
    assertThat(recorder.skipped).isEmpty();
    // Progress only for the large file: increasing, at least every 1%, ending at its size.
    assertThat(recorder.progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(bigBytes.length));
    assertThat(recorder.progress.size()).isBetween(50, 200);
    assertThat(recorder.progress).extracting(p -> p[0]).isSorted()
        .last().isEqualTo((long) bigBytes.length);

    // The same content again: nothing uploaded, same URIs.
    Recorder again = new Recorder();
    StagedFile staged = stager.withListener(again).stage(big);
    assertThat(staged.uploaded()).isFalse();
    assertThat(staged.jobUri()).isEqualTo(rootJobUri + bigRel);
    assertThat(staged.sha256()).isEqualTo(sha256(bigBytes));
    assertThat(again.skipped).hasSize(1);
    assertThat(again.finished).isEmpty();

    // Changed content under the same name: a new path, the old one untouched.
    Files.write(app, new byte[] {7, 7, 7});
    StagedFile changed = stager.stage(app);
    assertThat(changed.uploaded()).isTrue();
    assertThat(changed.jobUri()).isNotEqualTo(rootJobUri + appRel).endsWith("/etl.jar");
    assertThat(readBack.read(appRel)).isEqualTo(appBytes);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static final class Recorder implements StagingListener {
    final List<long[]> progress = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<String> finished = new ArrayList<>();

    @Override
    public void progress(Path file, long sent, long size) {
      progress.add(new long[] {sent, size});
    }

    @Override
    public void skipped(Path file, String uri) {
      skipped.add(uri);
    }

    @Override
    public void finished(Path file, String uri, long size) {
      finished.add(uri);
    }
  }
}
