package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.util.Config;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Map;

/**
 * The S3 and the Cloud Storage test servers of the storage E2E tests, listening on the address of
 * the E2E cluster's real node (this machine's), which the pods of the local clusters reach: the
 * first cluster's directly, the second cluster's through its node's link to the host.
 */
final class ServersOnTheNode implements AutoCloseable {
  final S3Server s3;
  final GcsServer gcs;

  private ServersOnTheNode(S3Server s3, GcsServer gcs) {
    this.s3 = s3;
    this.gcs = gcs;
  }

  /** A client of the cluster whose kubeconfig the environment variable names (scripts/test.sh sets it). */
  static ApiClient cluster(String env) throws IOException {
    String kubeconfig = System.getenv(env);
    assertThat(kubeconfig).as("%s (set by scripts/test.sh)", env).isNotBlank();
    return Config.fromConfig(kubeconfig);
  }

  /** Both servers on the address of {@code cluster}'s real node; the caller closes them. */
  static ServersOnTheNode start(ApiClient cluster) throws Exception {
    InetAddress node = nodeAddress(new CoreV1Api(cluster));
    S3Server s3 = S3Server.startOn(node);
    try {
      return new ServersOnTheNode(s3, GcsServer.startOn(node));
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
  }

  @Override
  public void close() {
    s3.close();
    gcs.close();
  }

  /**
   * The address of the cluster's real node (not a KWOK one), which must be this machine's: the
   * test servers listen there so that pods reach them.
   */
  private static InetAddress nodeAddress(CoreV1Api core) throws Exception {
    List<V1Node> nodes = core.listNode().execute().getItems();
    for (V1Node n : nodes) {
      Map<String, String> annotations = n.getMetadata().getAnnotations();
      if (annotations != null && annotations.containsKey("kwok.x-k8s.io/node")) {
        continue;
      }
      for (V1NodeAddress a : n.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          InetAddress address = InetAddress.getByName(a.getAddress());
          assertThat(NetworkInterface.getByInetAddress(address))
              .as("node %s's address %s must be this machine's (the local cluster)",
                  n.getMetadata().getName(), address).isNotNull();
          return address;
        }
      }
    }
    throw new AssertionError("no node with an InternalIP that is not a KWOK node: " + nodes.size()
        + " nodes");
  }
}
