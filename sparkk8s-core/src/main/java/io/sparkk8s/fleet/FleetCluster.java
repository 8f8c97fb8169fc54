package io.sparkk8s.fleet;

import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.validate.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One cluster of a {@link SparkFleet}: its name (part of every job's identity in the fleet), the
 * client that reaches it, labels a {@link PlacementPolicy} chooses by (cloud, region, tier...) and
 * what a job placed there gets instead of its own settings.
 *
 * <pre>{@code
 * FleetCluster gke = FleetCluster.of("gke-eu", SparkKubernetes.fromKubeconfig(kc, Optional.of("gke")))
 *     .withLabels(Map.of("cloud", "gcp", "region", "europe-west1"))
 *     .withImageRegistry("europe-docker.pkg.dev/acme/spark")
 *     .withStorage(List.of(gcs), EventLog.of(gcs, "spark-events"));
 * }</pre>
 *
 * @param name a DNS-1123 label naming the cluster in the fleet
 * @param client the cluster's client; the fleet closes it when it is closed
 * @param labels what placement chooses by
 * @param imageRegistry when set, the registry (and path prefix) every job's image is pulled from
 *     on this cluster: {@code apache/spark:4.0.1} becomes {@code <imageRegistry>/apache/spark:4.0.1}
 * @param namespaces the namespace a job's namespace maps to on this cluster, where they differ
 * @param serviceAccount when set, the driver service account of every job placed here
 * @param storage when not empty, the storage backends of every job placed here, instead of its own
 * @param eventLog when set, where jobs placed here write their event logs (this cluster's History
 *     Server reads them), instead of their own
 */
public record FleetCluster(String name, SparkKubernetes client, SortedMap<String, String> labels,
    Optional<String> imageRegistry, Map<String, String> namespaces,
    Optional<String> serviceAccount, List<StorageBackend> storage, Optional<EventLog> eventLog) {

  public FleetCluster {
    Checks c = Checks.of("FleetCluster");
    c.dnsLabel("name", name, Checks.DNS1123_LABEL_MAX);
    Objects.requireNonNull(client, "client");
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    c.labels("labels", labels);
    imageRegistry.ifPresent(r -> c.require(r.matches("[a-z0-9][a-z0-9.:/_-]*[a-z0-9]")
        && !r.contains("//") && !r.contains(".."), "imageRegistry", r,
        "must be a registry host with an optional path, such as registry.example.com/spark"));
    namespaces.forEach((from, to) -> c.dnsLabel("namespaces", from, Checks.DNS1123_LABEL_MAX)
        .dnsLabel("namespaces", to, Checks.DNS1123_LABEL_MAX));
    namespaces = Map.copyOf(namespaces);
    serviceAccount.ifPresent(a -> c.dnsSubdomain("serviceAccount", a));
    storage = List.copyOf(storage);
    c.throwIfAny();
  }

  /** A cluster with no labels and no overrides. */
  public static FleetCluster of(String name, SparkKubernetes client) {
    return new FleetCluster(name, client, new TreeMap<>(), Optional.empty(), Map.of(),
        Optional.empty(), List.of(), Optional.empty());
  }

  /** A copy with these labels. */
  public FleetCluster withLabels(Map<String, String> labels) {
    return new FleetCluster(name, client, new TreeMap<>(labels), imageRegistry, namespaces,
        serviceAccount, storage, eventLog);
  }

  /** A copy pulling every job's image from {@code registry}. */
  public FleetCluster withImageRegistry(String registry) {
    return new FleetCluster(name, client, labels, Optional.of(registry), namespaces,
        serviceAccount, storage, eventLog);
  }

  /** A copy running jobs of namespace {@code jobNamespace} in {@code clusterNamespace}. */
  public FleetCluster withNamespace(String jobNamespace, String clusterNamespace) {
    Map<String, String> m = new LinkedHashMap<>(namespaces);
    m.put(jobNamespace, clusterNamespace);
    return new FleetCluster(name, client, labels, imageRegistry, m, serviceAccount, storage,
        eventLog);
  }

  /** A copy whose jobs' drivers run as {@code serviceAccount}. */
  public FleetCluster withServiceAccount(String serviceAccount) {
    return new FleetCluster(name, client, labels, imageRegistry, namespaces,
        Optional.of(serviceAccount), storage, eventLog);
  }

  /** A copy whose jobs use {@code storage} and write their event logs to {@code eventLog}. */
  public FleetCluster withStorage(List<StorageBackend> storage, EventLog eventLog) {
    return new FleetCluster(name, client, labels, imageRegistry, namespaces, serviceAccount,
        storage, Optional.of(eventLog));
  }

  /** The namespace a job of {@code jobNamespace} runs in here. */
  public String namespaceFor(String jobNamespace) {
    return namespaces.getOrDefault(jobNamespace, jobNamespace);
  }

  @Override
  public String toString() {
    return "FleetCluster{" + name + ", labels " + labels + "}";
  }
}
