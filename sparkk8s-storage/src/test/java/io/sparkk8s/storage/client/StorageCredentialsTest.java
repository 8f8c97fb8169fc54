package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.S3Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageCredentialsTest {

  @Test
  void printingCredentialsOrAnAccessNeverShowsTheSecret() {
    StorageCredentials keys = StorageCredentials.s3("AKIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
    StorageAccess access = StorageAccess.of(S3Storage.of("bucket"), keys);
    assertThat(keys.toString()).contains("AKIAEXAMPLE").doesNotContain("wJalrXUtnFEMI");
    assertThat(access.toString()).contains("s3a://bucket").doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void aGcsKeyIsReadFromItsFileAndNeverPrinted(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key.json"), "{\"private_key\":\"TOP-SECRET\"}");
    StorageCredentials c = StorageCredentials.gcsServiceAccountKey(key);
    assertThat(c.kind()).isEqualTo(StorageCredentials.Kind.GCS_KEY);
    assertThat(c.toString()).doesNotContain("TOP-SECRET");
    assertThatThrownBy(() -> StorageCredentials.gcsServiceAccountKey(dir.resolve("missing.json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.json");
  }

  @Test
  void credentialsOfAnotherStoreAreRefusedNamingTheBackend() {
    assertThatThrownBy(() -> StorageAccess.of(GcsStorage.of("logs").withName("team-gcs"),
        StorageCredentials.s3("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S3_KEYS").hasMessageContaining("team-gcs");
    assertThatThrownBy(() -> StorageAccess.of(HdfsStorage.of("hdfs://nn:8020", "/spark"),
        StorageCredentials.anonymous()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ANONYMOUS");
  }

  @Test
  void emptyKeysAreRefused() {
    assertThatThrownBy(() -> StorageCredentials.s3("", "secret"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKey");
    assertThatThrownBy(() -> StorageCredentials.hadoopUser(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
  }
}
