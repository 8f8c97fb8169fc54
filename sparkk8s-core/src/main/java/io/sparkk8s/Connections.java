package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.SparkK8sException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Connects a client where its credentials come from: the standard kubeconfig or the pod's service
 * account, a kubeconfig file, or a client the caller configured. Each client gets two API clients:
 * one for calls (no OkHttp retries: the client's own retry policy decides) and one for watches (no
 * read timeout). The client itself comes from the {@link SparkKubernetesProvider}.
 */
final class Connections {
  /**
   * How often tokens of exec plugins and OIDC are fetched again. client-java renews on this
   * schedule only (not after a 401), so it must be shorter than any token's life; a minute costs
   * one plugin run per minute, and the plugins of GKE and PKS cache their tokens.
   */
  static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);

  private Connections() {}

  static SparkKubernetes standard(SparkKubernetesProvider.Settings settings) {
    String what = "the standard kubeconfig or in-cluster configuration";
    return connect(settings, what, () -> {
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

  static SparkKubernetes inCluster(SparkKubernetesProvider.Settings settings) {
    return connect(settings, "the pod's service account", () -> ClientBuilder.cluster().build());
  }

  static SparkKubernetes fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh, SparkKubernetesProvider.Settings settings) {
    return connect(settings, "kubeconfig " + path,
        () -> kubeconfigClient(path, context, credentialRefresh));
  }

  static SparkKubernetes using(ApiClient client, SparkKubernetesProvider.Settings settings) {
    // The caller's client is used for watches too; its read timeout should be 0 for them.
    return Provider.get().create(client, client, settings);
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

  private interface ClientSource {
    ApiClient get() throws IOException;
  }

  private static SparkKubernetes connect(SparkKubernetesProvider.Settings settings, String what,
      ClientSource source) {
    SparkKubernetesProvider provider = Provider.get();
    ApiClient api;
    ApiClient watch;
    try {
      api = source.get();
      // The client's retry policy decides every retry: OkHttp's own would resend a create unseen,
      // and a lost answer to it must be followed by an ownership check, not a blind second POST.
      api.setHttpClient(api.getHttpClient().newBuilder().retryOnConnectionFailure(false).build());
      watch = source.get();
      watch.setHttpClient(watch.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    } catch (IOException | RuntimeException e) {
      throw new ClusterUnreachableException("connect", "Cluster", "", what, 0, null,
          e.getMessage(), e);
    }
    return provider.create(api, watch, settings);
  }

  /** The SDK's client, looked for once. */
  private static final class Provider {
    private static final Optional<SparkKubernetesProvider> FOUND = ServiceLoader.load(
        SparkKubernetesProvider.class, SparkKubernetesProvider.class.getClassLoader()).findFirst();

    static SparkKubernetesProvider get() {
      return FOUND.orElseThrow(() -> new SparkK8sException("No "
          + SparkKubernetesProvider.class.getName() + " on the class path: sparkk8s-core's"
          + " META-INF/services/" + SparkKubernetesProvider.class.getName() + " is missing. If"
          + " sparkk8s is shaded into another jar, keep that file (Maven's shade plugin copies it"
          + " unless a filter excludes META-INF/services)."));
    }
  }
}
