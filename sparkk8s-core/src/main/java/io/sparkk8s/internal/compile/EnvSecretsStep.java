package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;

/**
 * Environment variables read from Secret keys by the kubelet, as Spark's
 * {@code EnvSecretsFeatureStep}: the value never appears in the pod spec.
 */
public final class EnvSecretsStep implements FeatureStep {
  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    ctx.prefixed("spark.kubernetes.driver.secretKeyRef.").forEach((env, ref) -> {
      int colon = ref.indexOf(':');
      sp.container().addEnvItem(new V1EnvVar().name(env).valueFrom(new V1EnvVarSource()
          .secretKeyRef(new V1SecretKeySelector().name(ref.substring(0, colon))
              .key(ref.substring(colon + 1)))));
    });
    return sp;
  }
}
