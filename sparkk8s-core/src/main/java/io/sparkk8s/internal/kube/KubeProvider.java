package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.SparkKubernetes;

/**
 * The SDK's client, as {@link SparkKubernetes.Provider} (registered in {@code
 * META-INF/services/io.sparkk8s.SparkKubernetes$Provider}).
 */
public final class KubeProvider implements SparkKubernetes.Provider {
  /** For {@link java.util.ServiceLoader}. */
  public KubeProvider() {
  }

  @Override
  public SparkKubernetes create(ApiClient calls, ApiClient watches, Settings settings) {
    return new KubeSparkClient(calls, watches, settings);
  }
}
