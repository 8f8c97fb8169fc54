package io.sparkk8s.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A throwaway one-node k3s cluster in Docker, through Testcontainers: the cluster of contributors' machines
 * that have Docker. It lives until the JVM's tests are done. Its nodes pull {@code apache/spark} from Docker
 * Hub, so it needs network access. JUnit closes it (an AutoCloseable in the root store) after the last test.
 */
final class K3sCluster implements AutoCloseable {

  /** k3s release of the same Kubernetes minor as scripts/local-k8s/versions.env. */
  static final String IMAGE = "rancher/k3s:v1.34.1-k3s1";

  private final K3sContainer container;

  private K3sCluster(K3sContainer container) {
    this.container = container;
  }

  static Optional<ClusterConnection> startIfDockerAvailable(ExtensionContext context, List<String> reasons) {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      reasons.add("no Docker daemon reachable for k3s through Testcontainers");
      return Optional.empty();
    }
    K3sContainer container = new K3sContainer(DockerImageName.parse(IMAGE));
    try {
      container.start();
      K3sCluster cluster = new K3sCluster(container);
      context.getRoot().getStore(ExtensionContext.Namespace.create(K3sCluster.class)).put(K3sCluster.class, cluster);
      Path kubeconfig = Files.createTempFile("sparkk8s-it-k3s", ".kubeconfig");
      Files.writeString(kubeconfig, container.getKubeConfigYaml());
      kubeconfig.toFile().deleteOnExit();
      return Optional.of(RealClusterExtension.connect("k3s " + IMAGE + " through Testcontainers", kubeconfig,
          Optional.empty()));
    } catch (IOException e) {
      container.stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      container.stop();
      reasons.add("Docker is reachable but k3s did not start: " + e);
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    container.stop();
  }
}
