package io.sparkk8s.it;

import io.kubernetes.client.openapi.ApiClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A reachable cluster for integration tests: its kubeconfig, a client, and where its logs are.
 *
 * @param source how the cluster was obtained, for messages ("kubeconfig from SPARKK8S_IT_KUBECONFIG", ...)
 * @param kubeconfig a kubeconfig file with a current context that has cluster-admin rights
 * @param client an API client built from {@code kubeconfig}
 * @param logs the directory of the cluster's component logs, when the tests know it
 */
public record ClusterConnection(String source, Path kubeconfig, ApiClient client, Optional<Path> logs) {

  /** The API server URL, as {@code spark-submit} wants it after {@code k8s://}. */
  public String apiServer() {
    return client.getBasePath();
  }

  @Override
  public String toString() {
    return source + " (" + apiServer() + ", kubeconfig " + kubeconfig + logs.map(l -> ", logs " + l).orElse("") + ")";
  }
}
