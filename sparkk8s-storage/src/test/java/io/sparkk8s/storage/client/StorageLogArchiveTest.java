package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.LogArchive;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.HdfsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Driver logs in each real store: written under the archive's directory, found, read back whole
 * (also by the server's own means), replaced by a second write; a missing one is empty.
 */
@ExtendWith(StorageServers.class)
class StorageLogArchiveTest {
  static final LogArchive.Key KEY = new LogArchive.Key("jobs", "etl-1a2b-driver", "spark-00ff");
  static final String REL = "sparkk8s-driver-logs/jobs/etl-1a2b-driver/spark-00ff.log";

  interface ReadBack {
    byte[] read(String relativeToRoot) throws Exception;
  }

  @Test
  void s3(S3Server s3) throws Exception {
    s3.createBucket("logs");
    S3Storage backend = S3Storage.of("logs").withPrefix("team").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds");
    keepsLogs(StorageAccess.of(backend, StorageCredentials.s3(S3Server.ACCESS_KEY,
        S3Server.SECRET_KEY)), rel -> Files.readAllBytes(s3.root().resolve("logs/team").resolve(rel)));
  }

  @Test
  void gcs(GcsServer gcs) throws Exception {
    gcs.createBucket("logs");
    GcsStorage backend = GcsStorage.of("logs").withPrefix("team").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true);
    keepsLogs(StorageAccess.of(backend), rel -> gcs.download("logs", "team/" + rel));
  }

  @Test
  void hdfs(HdfsServer hdfs) throws Exception {
    HdfsStorage backend = HdfsStorage.of(hdfs.namenode(), "/spark");
    keepsLogs(StorageAccess.of(backend), rel -> {
      try (InputStream in = hdfs.fileSystem().open(new org.apache.hadoop.fs.Path("/spark/" + rel))) {
        return in.readAllBytes();
      }
    });
  }

  @Test
  void aDirectoryThatCouldLeaveTheRootIsRefused(S3Server s3) {
    StorageAccess access = StorageAccess.of(S3Storage.of("logs").withEndpoint(s3.endpoint()));
    for (String bad : new String[] {"../other", "/abs", "a//b", "a/../b", "x\u0085y", ""}) {
      assertThatThrownBy(() -> StorageLogArchive.to(access).withDirectory(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("directory");
    }
  }

  private static void keepsLogs(StorageAccess access, ReadBack server) throws Exception {
    String log = "26/12/04 17:00:00 INFO SparkContext: Running Spark version 4.1.1\n".repeat(2000)
        + "Pi is roughly 3.14\n";
    try (StorageLogArchive archive = StorageLogArchive.to(access)) {
      assertThat(archive.contains(KEY)).isFalse();
      assertThat(archive.open(KEY)).isEmpty();
      archive.write(KEY, new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
      assertThat(archive.contains(KEY)).isTrue();
      try (InputStream in = archive.open(KEY).orElseThrow()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(log);
      }
      assertThat(new String(server.read(REL), StandardCharsets.UTF_8)).isEqualTo(log);
      archive.write(KEY, new ByteArrayInputStream("again\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(new String(server.read(REL), StandardCharsets.UTF_8)).isEqualTo("again\n");
      assertThat(archive.contains(new LogArchive.Key("jobs", "etl-1a2b-driver", "spark-other")))
          .isFalse();
    }
  }
}
