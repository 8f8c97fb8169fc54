package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.internal.kube.KubeSparkClient;
import io.sparkk8s.spec.SparkJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The entry point: submits jobs to a Kubernetes cluster and finds them again. One instance serves
 * any number of jobs through one shared watch per namespace; close it when done.
 *
 * <pre>{@code
 * try (SparkKubernetes spark = SparkKubernetes.connect()) {
 *   SparkJobHandle job = spark.submit(pi);
 *   JobState end = job.awaitCompletion(Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * <p>It is an interface so that code which launches jobs can be unit-tested with a Mockito mock
 * or with {@code io.sparkk8s.testing.InMemorySparkKubernetes}.
 */
public interface SparkKubernetes extends AutoCloseable {

  /**
   * Connects as {@code kubectl} would: {@code $KUBECONFIG}, then {@code ~/.kube/config} with its
   * current context, then the pod's service account when running in a cluster. Credentials that
   * expire (exec plugins such as {@code gke-gcloud-auth-plugin}, OIDC) are fetched again every
   * minute.
   *
   * @throws ClusterUnreachableException when no configuration can be found or read
   */
  static SparkKubernetes connect() {
    return KubeSparkClient.standard();
  }

  /**
   * Connects with a kubeconfig file and one of its contexts (its current one when empty). Tokens
   * from exec plugins and OIDC are fetched again every minute.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context) {
    return KubeSparkClient.fromKubeconfig(kubeconfig, context, KubeSparkClient.CREDENTIAL_REFRESH);
  }

  /**
   * As {@link #fromKubeconfig(Path, Optional)}, fetching tokens from exec plugins and OIDC every
   * {@code credentialRefresh}: choose less than the tokens' lifetime. The client renews tokens on
   * this schedule, not after a rejected call.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context,
      Duration credentialRefresh) {
    return KubeSparkClient.fromKubeconfig(kubeconfig, context, credentialRefresh);
  }

  /** Connects with the service account of the pod this code runs in. */
  static SparkKubernetes inCluster() {
    return KubeSparkClient.inCluster();
  }

  /** Uses a client the caller configured; the caller keeps owning it. */
  static SparkKubernetes using(ApiClient client) {
    return KubeSparkClient.using(client);
  }

  /** Submits with {@link OnConflict#ATTACH}: a retried submit returns the same job. */
  default SparkJobHandle submit(SparkJob job) {
    return submit(job, OnConflict.ATTACH);
  }

  /**
   * Compiles and creates the job's objects in Spark's order: the driver pod, then the Service and
   * ConfigMaps owned by it, so that deleting the driver deletes everything.
   *
   * @throws InvalidDescriptionException never for a built description (it was checked then)
   * @throws ConflictException when the driver exists and {@code onConflict} does not allow it
   * @throws ForbiddenException when the credentials may not create pods, services or configmaps
   * @throws ClusterUnreachableException when the API server does not answer
   */
  SparkJobHandle submit(SparkJob job, OnConflict onConflict);

  /**
   * A handle to a job submitted earlier, by this or another process.
   *
   * @throws NotFoundException when no driver pod of that name exists
   */
  SparkJobHandle attach(String namespace, String driverPodName);

  /**
   * Handles to every job whose driver pod matches {@code labelSelector} (Kubernetes syntax, for
   * example {@code team=data}; empty for all) in {@code namespace}.
   */
  List<SparkJobHandle> list(String namespace, String labelSelector);

  /**
   * Ensures the ServiceAccount {@code name}, a Role with the least rights a Spark driver needs in
   * {@code namespace} (pods: create, get, list, watch, delete, deletecollection, patch; services,
   * configmaps and persistentvolumeclaims: create, get, list, watch, delete, deletecollection),
   * and a RoleBinding between them. Never a ClusterRole. Idempotent; a widened Role is narrowed
   * back.
   */
  void ensureDriverServiceAccount(String namespace, String name);

  /** How many jobs this client submitted and saw end, by outcome, since it was made. */
  JobCounts jobCounts();

  /** Stops the watches and the notification thread. Jobs keep running on the cluster. */
  @Override
  void close();
}
