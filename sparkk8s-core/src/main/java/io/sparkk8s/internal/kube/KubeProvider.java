package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.SparkKubernetesProvider;

/**
 * The SDK's client, as {@link SparkKubernetesProvider} (registered in {@code
 * META-INF/services/io.sparkk8s.SparkKubernetesProvider}).
 */
public final class KubeProvider implements SparkKubernetesProvider {
  /** For {@link java.util.ServiceLoader}. */
  public KubeProvider() {
  }

  @Override
  public SparkKubernetes create(ApiClient calls, ApiClient watches, Settings settings) {
    return new KubeSparkClient(calls, watches, settings);
  }
}
