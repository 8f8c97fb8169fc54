package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.storage.SecretEnv;
import org.junit.jupiter.api.Test;

class EnvSecretsStepTest {
  @Test
  void readsTheValueFromTheSecretNeverALiteral() {
    var job = Jobs.pi().addSecretEnv(SecretEnv.of("DB_PASSWORD", "db", "password")).build();
    var env = Jobs.apply(new EnvSecretsStep(), job).container().getEnv();
    assertThat(env).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("DB_PASSWORD");
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    });
  }
}
