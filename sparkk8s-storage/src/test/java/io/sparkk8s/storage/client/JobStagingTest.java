package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.StagedFiles;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.HdfsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging for one job ({@link DependencyStager#submit}'s staging, without the cluster: the E2E
 * test {@code StagedJobsE2E} submits) against each real store: the files under the job's own
 * directory, named by its job id; the same job and files again giving the same id and uploading
 * nothing; and {@link DependencyStager#delete} removing that directory and nothing else. What is
 * left is read by the server's own means, not through the stager's client.
 */
@ExtendWith(StorageServers.class)
class JobStagingTest {
  @TempDir Path work;

  /** The files (relative to the backend's root) under a directory, by the server's own means. */
  interface Listing {
    List<String> files(String relativeDir) throws Exception;
  }

  @Test
  void s3(S3Server s3) throws Exception {
    s3.createBucket("jobs");
    S3Storage backend = S3Storage.of("jobs").withPrefix("team").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true);
    stagesUnderTheJobAndDeletesWithIt(StorageAccess.of(backend,
        StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)), "s3a://jobs/team/",
        rel -> walk(s3.root().resolve("jobs/team"), rel));
  }

  @Test
  void gcs(GcsServer gcs) throws Exception {
    gcs.createBucket("jobs");
    GcsStorage backend = GcsStorage.of("jobs").withPrefix("team").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true);
    stagesUnderTheJobAndDeletesWithIt(StorageAccess.of(backend), "gs://jobs/team/",
        rel -> gcs.objects("jobs", "team/" + rel + "/").stream()
            .map(n -> n.substring("team/".length())).toList());
  }

  @Test
  void hdfs(HdfsServer hdfs) throws Exception {
    stagesUnderTheJobAndDeletesWithIt(StorageAccess.of(HdfsStorage.of(hdfs.namenode(), "/jobs")),
        hdfs.namenode() + "/jobs/", rel -> {
          org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/jobs/" + rel);
          List<String> out = new ArrayList<>();
          if (hdfs.fileSystem().exists(dir)) {
            RemoteIterator<LocatedFileStatus> it = hdfs.fileSystem().listFiles(dir, true);
            while (it.hasNext()) {
              out.add(it.next().getPath().toUri().getPath().substring("/jobs/".length()));
            }
          }
          return out;
        });
  }

  @Test
  void nfsThroughALocalMount(@TempDir Path mount) throws Exception {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withName("share");
    stagesUnderTheJobAndDeletesWithIt(StorageAccess.of(nfs).withLocalMount(mount),
        "local:///mnt/sparkk8s/share/", rel -> walk(mount, rel));
  }

  @Test
  void aTreeDeeperThanAJobsDirectoryIsNotDeleted(@TempDir Path mount) throws Exception {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withName("share");
    Path deep = mount.resolve("sparkk8s-deps/jobs/spark/etl-1/a/b/c/d/e");
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("planted.txt"), "x");
    DependencyStager stager = DependencyStager.to(StorageAccess.of(nfs).withLocalMount(mount));
    assertThatThrownBy(() -> stager.delete(new StagedFiles.Key("spark", "etl-1")))
        .isInstanceOf(IOException.class).hasMessageContaining("more than 4 levels under a staged job's directory");
    assertThat(deep.resolve("planted.txt")).exists();
  }

  @Test
  void onAMountedShareLinksAreDeletedAsLinksNeverFollowed(@TempDir Path mount,
      @TempDir Path elsewhere) throws Exception {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withName("share");
    DependencyStager stager = DependencyStager.to(StorageAccess.of(nfs).withLocalMount(mount));
    Path precious = Files.writeString(elsewhere.resolve("precious.txt"), "keep me");
    Files.createDirectories(elsewhere.resolve("sub"));
    Path alsoPrecious = Files.writeString(elsewhere.resolve("sub/also.txt"), "keep me too");
    Path job = Files.createDirectories(mount.resolve("sparkk8s-deps/jobs/spark/etl-2/0123abcd"));
    Files.writeString(job.resolve("etl.jar"), "staged");
    Files.createSymbolicLink(job.resolve("to-a-file.jar"), precious);
    Files.createSymbolicLink(job.getParent().resolve("to-a-directory"), elsewhere.resolve("sub"));

    stager.delete(new StagedFiles.Key("spark", "etl-2"));
    assertThat(mount.resolve("sparkk8s-deps/jobs/spark/etl-2")).doesNotExist();
    assertThat(precious).hasContent("keep me");
    assertThat(alsoPrecious).hasContent("keep me too");

    // A job's directory reached through a link is not deleted at all.
    Files.createDirectories(elsewhere.resolve("etl-3"));
    Path target = Files.writeString(elsewhere.resolve("etl-3/file.txt"), "not staged");
    Files.createDirectories(mount.resolve("sparkk8s-deps/jobs"));
    Files.createSymbolicLink(mount.resolve("sparkk8s-deps/jobs/team"), elsewhere);
    assertThatThrownBy(() -> stager.delete(new StagedFiles.Key("team", "etl-3")))
        .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
    assertThat(target).hasContent("not staged");
  }

  private void stagesUnderTheJobAndDeletesWithIt(StorageAccess access, String rootJobUri,
      Listing listing) throws Exception {
    Random random = new Random(7);
    byte[] appBytes = new byte[4096];
    random.nextBytes(appBytes);
    Path app = Files.write(work.resolve("etl.jar"), appBytes);
    Path conf = Files.writeString(work.resolve("etl.conf"), "rows = 10\n");
    Files.createDirectories(work.resolve("other"));
    Path sameName = Files.writeString(work.resolve("other/etl.conf"), "rows = 20\n");
    DependencyStager stager = DependencyStager.to(access);
    JobFiles files = JobFiles.jvm("com.example.Etl", app.toString())
        .withFiles(conf.toString(), sameName.toUri().toString(), "https://example.com/x.conf");

    StagedJob staged = stager.stageFor(job("team-a"), files);
    String id = staged.job().appId().orElseThrow();
    String dirRel = "sparkk8s-deps/jobs/team-a/" + id;
    assertThat(staged.job().sparkAppId()).isEqualTo(id);
    assertThat(staged.job().labels()).as("what tells retention to ask the stager")
        .containsEntry(StagedFiles.LABEL, "true");
    assertThat(staged.directory()).isEqualTo(access.backend().resolve(dirRel));
    assertThat(staged.job().application().resource())
        .isEqualTo(rootJobUri + dirRel + "/" + sha256(appBytes).substring(0, 16) + "/etl.jar");
    // Two files of one name stay two files; a remote one is kept as it was.
    assertThat(staged.job().files()).containsExactly(
        rootJobUri + dirRel + "/" + sha256(Files.readAllBytes(conf)).substring(0, 16) + "/etl.conf",
        rootJobUri + dirRel + "/" + sha256(Files.readAllBytes(sameName)).substring(0, 16)
            + "/etl.conf",
        "https://example.com/x.conf");
    assertThat(staged.files()).extracting(StagedFile::uploaded).containsOnly(true);
    assertThat(staged.bytes()).isEqualTo(appBytes.length + Files.size(conf) + Files.size(sameName));
    assertThat(listing.files(dirRel)).hasSize(3);

    // The same job and files: the same id and job, nothing uploaded again.
    StagedJob again = stager.stageFor(job("team-a"), files);
    assertThat(again.job()).isEqualTo(staged.job());
    assertThat(again.files()).extracting(StagedFile::uploaded).containsOnly(false);
    // Another content: another id, so another directory.
    Files.writeString(conf, "rows = 11\n");
    StagedJob changed = stager.stageFor(job("team-a"), files);
    assertThat(changed.job().appId()).isPresent().get().isNotEqualTo(id);
    // A job id set by the caller names the directory.
    StagedJob named = stager.stageFor(job("team-b").appId("etl-nightly"), files);
    assertThat(named.directory())
        .isEqualTo(access.backend().resolve("sparkk8s-deps/jobs/team-b/etl-nightly"));

    stager.delete(new StagedFiles.Key("team-a", id));
    assertThat(listing.files(dirRel)).as("the deleted job's files").isEmpty();
    assertThat(listing.files("sparkk8s-deps/jobs/team-a/" + changed.job().appId().orElseThrow()))
        .as("another job's files").hasSize(3);
    assertThat(listing.files("sparkk8s-deps/jobs/team-b/etl-nightly")).hasSize(3);
    stager.delete(new StagedFiles.Key("team-a", id));   // again: nothing to do
    stager.delete(new StagedFiles.Key("team-c", "never-staged"));
  }

  private static SparkJob.Builder job(String namespace) {
    return SparkJob.builder().name("etl").namespace(namespace);
  }

  /** The regular files under {@code root/rel}, relative to {@code root}, hidden ones left out. */
  static List<String> walk(Path root, String rel) throws IOException {
    Path dir = root.resolve(rel);
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> !p.contains("/.")).toList();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
