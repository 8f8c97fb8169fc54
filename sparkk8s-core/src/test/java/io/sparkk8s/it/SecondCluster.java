package io.sparkk8s.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The second cluster of the fleet tests: its kubeconfig from {@value #ENV} (scripts/test.sh sets it
 * to the local second cluster of scripts/local-k8s/up.sh: a control plane with a real node and a
 * KWOK node). Without
 * it the test is skipped with the reason, except under CI, where it fails: nothing may be skipped.
 */
final class SecondCluster {
  static final String ENV = "SPARKK8S_IT_SECOND_KUBECONFIG";

  private SecondCluster() {}

  static Path kubeconfig() {
    String value = Optional.ofNullable(System.getenv(ENV)).orElse("");
    boolean present = !value.isBlank() && Files.isRegularFile(Path.of(value));
    String why = ENV + " does not name a kubeconfig (" + (value.isBlank() ? "unset" : value)
        + "): the fleet tests need a second cluster; scripts/test.sh sets it to the local one";
    if ("true".equals(System.getenv("CI"))) {
      if (!present) {
        throw new AssertionError(why);
      }
    } else {
      assumeTrue(present, why);
    }
    return Path.of(value);
  }

  static ApiClient client(Path kubeconfig) throws IOException {
    ApiClient client = Config.fromConfig(kubeconfig.toString());
    client.setReadTimeout(30_000);
    return client;
  }

  /** Creates {@code name} on the cluster, labelled as the E2E suite's namespaces are. */
  static void createNamespace(CoreV1Api core, String name) throws ApiException {
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name)
        .labels(Map.of("sparkk8s.io/e2e", "true")))).execute();
  }

  static void deleteNamespace(CoreV1Api core, String name) {
    try {
      core.deleteNamespace(name).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw new IllegalStateException("deleting namespace " + name + " on the second cluster: "
            + e.getCode() + " " + e.getResponseBody(), e);
      }
    }
  }
}
