package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.ClusterUnreachableException;
import io.sparkk8s.RecordKey;
import io.sparkk8s.SparkKubernetes;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes the real client from where its credentials come from: the standard kubeconfig or the
 * pod's service account, a kubeconfig file, or a client the caller configured. Each client gets
 * two API clients: one for calls (no OkHttp retries: {@link ApiRetry} decides) and one for watches
 * (no read timeout).
 */
public final class KubeClients {
  /**
   * How often tokens of exec plugins and OIDC are fetched again. client-java renews on this
   * schedule only (not after a 401), so it must be shorter than any token's life; a minute costs
   * one plugin run per minute, and the plugins of GKE and PKS cache their tokens.
   */
  public static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);

  private KubeClients() {}

  public static SparkKubernetes standard(Optional<RecordKey> recordKey) {
    return standard(ClientSettings.of(ApiRetryPolicy.defaults(), recordKey));
  }

  public static SparkKubernetes standard(ClientSettings settings) {
    String what = "the standard kubeconfig or in-cluster configuration";
    return build(settings, what, () -> {
      String env = System.getenv("KUBECONFIG");
      Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
      Path file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
          : Files.isReadable(home) ? home : null;
      if (file == null) {
        // No kubeconfig: the pod's service account (its token file is re-read as it rotates).
        return ClientBuilder.standard().build();
      }
      return kubeconfigClient(file, Optional.empty(), CREDENTIAL_REFRESH);
    });
  }

  public static SparkKubernetes inCluster(Optional<RecordKey> recordKey) {
    return inCluster(ClientSettings.of(ApiRetryPolicy.defaults(), recordKey));
  }

  public static SparkKubernetes inCluster(ClientSettings settings) {
    return build(settings, "the pod's service account", () -> ClientBuilder.cluster().build());
  }

  public static SparkKubernetes fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh, ApiRetryPolicy retryPolicy, Optional<RecordKey> recordKey) {
    return fromKubeconfig(path, context, credentialRefresh, ClientSettings.of(retryPolicy,
        recordKey));
  }

  public static SparkKubernetes fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh, ClientSettings settings) {
    return build(settings, "kubeconfig " + path,
        () -> kubeconfigClient(path, context, credentialRefresh));
  }

  private static ApiClient kubeconfigClient(Path path, Optional<String> context, Duration refresh)
      throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      KubeConfig kc = KubeConfig.loadKubeConfig(r);
      kc.setFile(path.toFile());
      context.ifPresent(c -> {
        if (!kc.setContext(c)) {
          throw new IllegalArgumentException("context '" + c + "' is not in " + path);
        }
      });
      // With a refresh period, KubeconfigAuthentication runs the exec plugin (or OIDC refresh)
      // again on that schedule instead of keeping the first token for the client's life.
      return ClientBuilder.kubeconfig(kc, refresh).build();
    }
  }

  public static SparkKubernetes using(ApiClient client, ApiRetryPolicy retryPolicy,
      Optional<RecordKey> recordKey) {
    return using(client, ClientSettings.of(retryPolicy, recordKey));
  }

  public static SparkKubernetes using(ApiClient client, ClientSettings settings) {
    // The caller's client is used for watches too; its read timeout should be 0 for them.
    return new KubeSparkClient(client, client, settings);
  }

  private interface ClientSource {
    ApiClient get() throws IOException;
  }

  private static SparkKubernetes build(ClientSettings settings, String what,
      ClientSource source) {
    try {
      ApiClient api = source.get();
      // ApiRetry decides every retry: OkHttp's own would resend a create unseen, and a lost
      // answer to it must be followed by an ownership check, not a blind second POST.
      api.setHttpClient(api.getHttpClient().newBuilder().retryOnConnectionFailure(false).build());
      ApiClient watch = source.get();
      watch.setHttpClient(watch.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      return new KubeSparkClient(api, watch, settings);
    } catch (IOException | RuntimeException e) {
      throw new ClusterUnreachableException("connect", "Cluster", "", what, 0, null,
          e.getMessage(), e);
    }
  }
}
