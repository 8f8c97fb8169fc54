package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.StorageException.Reason;
import io.sparkk8s.storage.client.servers.StorageServers;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.HdfsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Early checks against the real servers: each failure names backend, location and cause. */
@ExtendWith(StorageServers.class)
class StorageAccessCheckTest {

  private static S3Storage s3(S3Server server, String bucket) {
    return S3Storage.of(bucket).withEndpoint(server.endpoint()).withPathStyleAccess(true)
        .withCredentialsSecret("s3-creds");
  }

  @Test
  void s3BucketThatExistsPassesReadAndWriteChecks(S3Server server) throws Exception {
    server.createBucket("checks-ok");
    StorageAccess access = StorageAccess.of(s3(server, "checks-ok"),
        StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    assertThatCode(access::check).doesNotThrowAnyException();
    assertThatCode(() -> access.checkWritable("")).doesNotThrowAnyException();
  }

  @Test
  void s3WrongSecretKeyIsRejectedCredentialsWithoutTheSecretInTheMessage(S3Server server)
      throws Exception {
    server.createBucket("checks-creds");
    String wrongSecret = "not-the-secret-key-42";
    StorageAccess access = StorageAccess.of(s3(server, "checks-creds"),
        StorageCredentials.s3(S3Server.ACCESS_KEY, wrongSecret));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    assertThat(e.backend()).isEqualTo("s3");
    assertThat(e.location()).isEqualTo("s3a://checks-creds");
    assertThat(e.getMessage()).contains("storage backend 's3'", "s3a://checks-creds")
        .doesNotContain(wrongSecret).doesNotContain(S3Server.SECRET_KEY);
    assertThat(access.toString()).doesNotContain(wrongSecret);
  }

  @Test
  void s3UnknownAccessKeyIsRejectedCredentials(S3Server server) throws Exception {
    server.createBucket("checks-key");
    StorageAccess access = StorageAccess.of(s3(server, "checks-key"),
        StorageCredentials.s3("no-such-access-key", S3Server.SECRET_KEY));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.BAD_CREDENTIALS);
  }

  @Test
  void s3MissingBucketIsNotFound(S3Server server) {
    StorageAccess access = StorageAccess.of(s3(server, "no-such-bucket"),
        StorageCredentials.s3(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(e.getMessage()).contains("s3a://no-such-bucket");
  }

  @Test
  void s3ClosedPortIsUnreachable() {
    int port = StorageServers.freePort();
    StorageAccess access = StorageAccess.of(S3Storage.of("any-bucket")
            .withEndpoint("http://127.0.0.1:" + port).withPathStyleAccess(true),
        StorageCredentials.s3("a", "b"));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
  }

  @Test
  void gcsBucketThatExistsPassesChecks(GcsServer server) throws Exception {
    server.createBucket("checks-ok");
    StorageAccess access = StorageAccess.of(GcsStorage.of("checks-ok")
        .withEndpoint(server.endpoint()).withUnauthenticated(true));
    assertThatCode(access::check).doesNotThrowAnyException();
    assertThatCode(() -> access.checkWritable("")).doesNotThrowAnyException();
  }

  @Test
  void gcsMissingBucketIsNotFound(GcsServer server) {
    StorageAccess access = StorageAccess.of(GcsStorage.of("no-such-bucket")
        .withEndpoint(server.endpoint()), StorageCredentials.anonymous());
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(e.backend()).isEqualTo("gcs");
    assertThat(e.getMessage()).contains("gs://no-such-bucket", "does not exist");
  }

  @Test
  void gcsClosedPortIsUnreachable() {
    int port = StorageServers.freePort();
    StorageAccess access = StorageAccess.of(GcsStorage.of("any-bucket")
        .withEndpoint("http://127.0.0.1:" + port), StorageCredentials.anonymous());
    assertThat(catchThrowableOfType(StorageException.class, access::check).reason())
        .isEqualTo(Reason.UNREACHABLE);
  }

  @Test
  void hdfsPathThatExistsPassesChecks(HdfsServer hdfs) throws Exception {
    hdfs.fileSystem().mkdirs(new org.apache.hadoop.fs.Path("/checks-ok"));
    StorageAccess access = StorageAccess.of(HdfsStorage.of(hdfs.namenode(), "/checks-ok"));
    assertThatCode(access::check).doesNotThrowAnyException();
    assertThatCode(() -> access.checkWritable("")).doesNotThrowAnyException();
  }

  @Test
  void hdfsMissingPathIsNotFound(HdfsServer hdfs) {
    StorageAccess access = StorageAccess.of(HdfsStorage.of(hdfs.namenode(), "/no/such/dir"));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(e.getMessage()).contains("storage backend 'hdfs'", hdfs.namenode() + "/no/such/dir");
  }

  @Test
  void hdfsDirectoryOfAnotherUserIsForbidden(HdfsServer hdfs) throws Exception {
    FileSystem fs = hdfs.fileSystem();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/private");
    fs.mkdirs(dir);
    fs.setPermission(dir, new FsPermission((short) 0700));
    StorageAccess access = StorageAccess.of(HdfsStorage.of(hdfs.namenode(), "/private"),
        StorageCredentials.hadoopUser("intruder"));
    assertThat(catchThrowableOfType(StorageException.class, access::check).reason())
        .isEqualTo(Reason.FORBIDDEN);
  }

  @Test
  void hdfsNamenodeOnAClosedPortIsUnreachable() {
    int port = StorageServers.freePort();
    StorageAccess access = StorageAccess.of(HdfsStorage.of("hdfs://127.0.0.1:" + port, "/spark"));
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(e.getMessage()).contains("hdfs://127.0.0.1:" + port);
  }

  @Test
  void nfsThroughALocalMountChecksTheMountedDirectory(@TempDir Path mount) throws Exception {
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withPath("team");
    StorageAccess access = StorageAccess.of(nfs).withLocalMount(mount);
    StorageException e = catchThrowableOfType(StorageException.class, access::check);
    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(e.location()).isEqualTo(mount.toUri().toString() + "team");
    Files.createDirectories(mount.resolve("team"));
    assertThatCode(() -> access.checkWritable("")).doesNotThrowAnyException();
  }
}
