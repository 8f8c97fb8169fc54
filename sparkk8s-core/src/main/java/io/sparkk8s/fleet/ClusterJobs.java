package io.sparkk8s.fleet;

import io.sparkk8s.spec.SparkJob;

/** A job as it runs on one cluster: the cluster's registry, namespace, account and storage. */
final class ClusterJobs {
  private ClusterJobs() {}

  static SparkJob adapt(FleetCluster cluster, SparkJob job) {
    String namespace = cluster.namespaceFor(job.namespace());
    if (namespace.equals(job.namespace()) && cluster.imageRegistry().isEmpty()
        && cluster.serviceAccount().isEmpty() && cluster.storage().isEmpty()
        && cluster.eventLog().isEmpty()) {
      return job;
    }
    SparkJob.Builder b = SparkJob.builder();
    b.from(job).namespace(namespace);
    cluster.imageRegistry().ifPresent(r -> b.image(rebase(r, job.containerImage())));
    cluster.serviceAccount().ifPresent(b::serviceAccount);
    if (!cluster.storage().isEmpty()) {
      b.storage(cluster.storage());
    }
    cluster.eventLog().ifPresent(b::eventLog);
    return b.build();
  }

  /**
   * {@code image} pulled from {@code registry}: its own registry host (a first part with a dot, a
   * port or {@code localhost}) replaced, its repository path and tag kept.
   */
  static String rebase(String registry, String image) {
    int slash = image.indexOf('/');
    String rest = image;
    if (slash > 0) {
      String first = image.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        rest = image.substring(slash + 1);
      }
    }
    return registry + "/" + rest;
  }
}
