package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.SecretVolume;
import org.junit.jupiter.api.Test;

class MountSecretsStepTest {
  @Test
  void mountsDriverSecretsAsVolumesNamedAfterTheSecret() {
    var job = Jobs.pi().addSecretVolume(SecretVolume.of("gcs-key", "/var/secrets/gcs"))
        .addSecretVolume(SecretVolume.of("exec-only", "/x").withMountOn(MountOn.EXECUTORS)).build();
    var sp = Jobs.apply(new MountSecretsStep(), job);
    assertThat(sp.pod().getSpec().getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("gcs-key-volume");
      assertThat(v.getSecret().getSecretName()).isEqualTo("gcs-key");
    });
    assertThat(sp.container().getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/secrets/gcs"));
  }
}
