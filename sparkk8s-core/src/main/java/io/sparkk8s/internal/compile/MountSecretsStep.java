package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;

/** Secrets mounted as files in the driver, as Spark's {@code MountSecretsFeatureStep}. */
public final class MountSecretsStep implements FeatureStep {
  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    ctx.prefixed("spark.kubernetes.driver.secrets.").forEach((secret, path) -> {
      String volume = secret + "-volume";
      sp.pod().getSpec().addVolumesItem(new V1Volume().name(volume)
          .secret(new V1SecretVolumeSource().secretName(secret)));
      sp.container().addVolumeMountsItem(new V1VolumeMount().name(volume).mountPath(path));
    });
    return sp;
  }
}
