package io.sparkk8s.spec;

/**
 * How a platform service is reached. Inside the cluster only unless asked: a notebook or a History
 * Server on a public address is the first thing an attacker scans for.
 */
public enum Exposure {
  /** A ClusterIP Service: reachable from inside the cluster (and through port-forward). */
  CLUSTER_IP("ClusterIP"),
  /** A NodePort Service: reachable on every node's address. */
  NODE_PORT("NodePort"),
  /** A LoadBalancer Service: reachable on an address the cloud provider gives. */
  LOAD_BALANCER("LoadBalancer");

  private final String serviceType;

  Exposure(String serviceType) {
    this.serviceType = serviceType;
  }

  /** The Kubernetes Service type. */
  public String serviceType() {
    return serviceType;
  }
}
