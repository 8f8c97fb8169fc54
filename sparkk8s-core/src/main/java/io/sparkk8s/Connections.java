package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.sparkk8s.exception.ClusterUnreachableException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Connects a client where its credentials come from: the standard kubeconfig or the pod's service
 * account, a kubeconfig file, or a client the caller configured. Each client gets two API clients:
 * one for calls (no OkHttp retries: the client's own retry policy decides) and one for watches (no
 * read timeout). The client itself is made from them by the {@link SparkKubernetes.Provider}.
 */
final class Connections {
  /**
   * How often tokens of exec plugins and OIDC are fetched again. client-java renews on this
   * schedule only (not after a 401), so it must be shorter than any token's life; a minute costs
   * one plugin run per minute, and the plugins of GKE and PKS cache their tokens.
   */
  static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);

  private Connections() {}

  /** The API client for calls and the one for watches (one client when the caller passed it). */
  record Clients(ApiClient calls, ApiClient watches) {}

  static Clients standard() {
    String what = "the standard kubeconfig or in-cluster configuration";
    return connect(what, () -> {
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

  static Clients inCluster() {
    return connect("the pod's service account", () -> ClientBuilder.cluster().build());
  }

  static Clients fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh) {
    return connect("kubeconfig " + path,
        () -> kubeconfigClient(path, context, credentialRefresh));
  }

  static Clients using(ApiClient client) {
    // The caller's client is used for watches too; its read timeout should be 0 for them.
    return new Clients(client, client);
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

  private static Clients connect(String what, ClientSource source) {
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
    return new Clients(api, watch);
  }
}
