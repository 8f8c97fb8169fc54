package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordKeyTest {
  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> RecordKey.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("key length < 32 bytes: 31");
  }

  @Test
  void theKeyNeverShowsInTextAndTheSameBytesAreTheSameKey(@TempDir Path dir) throws Exception {
    byte[] bytes = "0123456789abcdef0123456789abcdef".getBytes();
    String base64 = Base64.getEncoder().encodeToString(bytes);
    Path file = Files.writeString(dir.resolve("key"), base64 + "\n");
    RecordKey key = RecordKey.fromFile(file);
    assertThat(key).isEqualTo(RecordKey.of(bytes)).isEqualTo(RecordKey.fromBase64(base64));
    assertThat(key.toString()).isEqualTo("RecordKey{id=" + key.id() + "}")
        .doesNotContain(base64).doesNotContain("0123456789");
    assertThat(key.id()).hasSize(16);
    assertThat(key.secretKey().getEncoded()).isEqualTo(bytes);
  }
}
