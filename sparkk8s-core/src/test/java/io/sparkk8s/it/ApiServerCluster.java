package io.sparkk8s.it;

import com.dajudge.kindcontainer.ApiServerContainer;
import com.dajudge.kindcontainer.ApiServerContainerVersion;
import com.dajudge.kindcontainer.KubernetesImageSpec;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * A throwaway control plane without nodes, through Testcontainers: kindcontainer's
 * {@link ApiServerContainer} (kube-apiserver, with etcd in a second container sharing its network),
 * on Docker or on Podman's Docker-compatible API. It serves the API-level E2E tests
 * ({@code @Tag("api-server")}: admission, validation, dry runs, RBAC), not those that run pods.
 *
 * <p>Chosen with {@code -D}{@value #PROPERTY}{@code =true}, which is never silently replaced by
 * another cluster: if the containers cannot start, the tests fail with the reason. The images
 * default to the upstream names; {@code scripts/local-k8s/podman.sh} builds both from the binaries
 * the local cluster builds, and {@code scripts/test.sh} passes their names in
 * {@value #API_SERVER_IMAGE_PROPERTY} and {@value #ETCD_IMAGE_PROPERTY}. It lives until the JVM's
 * tests are done.
 */
final class ApiServerCluster implements AutoCloseable {
  static final String PROPERTY = "sparkk8s.it.apiServerContainer";
  static final String API_SERVER_IMAGE_PROPERTY = "sparkk8s.it.apiServerImage";
  static final String ETCD_IMAGE_PROPERTY = "sparkk8s.it.etcdImage";

  private final ApiServerContainer<?> container;

  private ApiServerCluster(ApiServerContainer<?> container) {
    this.container = container;
  }

  static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  /**
   * On this control plane, which has no controller manager, makes the namespace's "default"
   * ServiceAccount as its controller would: without it the ServiceAccount admission plugin refuses
   * every pod of the namespace. Elsewhere does nothing (the controller makes it).
   */
  static void makeDefaultServiceAccount(CoreV1Api core, String namespace) throws ApiException {
    if (requested()) {
      core.createNamespacedServiceAccount(namespace,
          new V1ServiceAccount().metadata(new V1ObjectMeta().name("default"))).execute();
    }
  }

  /** Starts the containers, or throws saying why they did not start. */
  static ClusterConnection start(ExtensionContext context) {
    String apiServerImage = System.getProperty(API_SERVER_IMAGE_PROPERTY, "registry.k8s.io/kube-apiserver:v1.34.1");
    String etcdImage = System.getProperty(ETCD_IMAGE_PROPERTY, "registry.k8s.io/etcd:3.5.12-0");
    String engine;
    try {
      engine = DockerClientFactory.instance().client().versionCmd().exec().getComponents().stream()
          .map(c -> c.getName() + " " + c.getVersion()).findFirst().orElse("a Docker API");
    } catch (RuntimeException e) {
      throw new IllegalStateException("-D" + PROPERTY + "=true, but no Docker API is reachable for Testcontainers"
          + " (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + "; with Podman: scripts/local-k8s/podman.sh): " + e, e);
    }
    long start = System.nanoTime();
    ApiServerContainer<?> container = new ApiServerContainer<>(
        new KubernetesImageSpec<>(ApiServerContainerVersion.VERSION_1_34_1).withImage(apiServerImage))
        .withEtcdImage(DockerImageName.parse(etcdImage))
        .withControlPlaneReadyTimeout(Duration.ofMinutes(3));
    try {
      container.start();
    } catch (RuntimeException e) {
      IllegalStateException failure = new IllegalStateException("the API server container (" + apiServerImage
          + ", " + etcdImage + ") did not start on " + engine + ": " + e, e);
      try {
        container.stop();
      } catch (RuntimeException stopFailure) {
        // kindcontainer's stop() after a failed start can throw (its etcd container never made);
        // the start's failure is the one to report.
        failure.addSuppressed(stopFailure);
      }
      throw failure;
    }
    ApiServerCluster cluster = new ApiServerCluster(container);
    context.getRoot().getStore(ExtensionContext.Namespace.create(ApiServerCluster.class))
        .put(ApiServerCluster.class, cluster);
    try {
      Path kubeconfig = Files.createTempFile("sparkk8s-it-apiserver", ".kubeconfig");
      Files.writeString(kubeconfig, container.getKubeconfig());
      kubeconfig.toFile().deleteOnExit();
      String source = String.format("kube-apiserver container %s with %s (kindcontainer) on %s, up in %.1f s",
          apiServerImage, etcdImage, engine, (System.nanoTime() - start) / 1e9);
      System.err.println("[sparkk8s-it] " + source);
      return RealClusterExtension.connect(source, kubeconfig, Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    container.stop();
  }
}
