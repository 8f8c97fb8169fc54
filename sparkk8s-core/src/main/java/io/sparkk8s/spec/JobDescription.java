package io.sparkk8s.spec;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import io.sparkk8s.validate.SparkVersions;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * What a {@link SparkJob} says: its attributes, with their defaults. A job is always a {@code
 * SparkJob}, made by its builder and checked by {@code build()}; this type holds the attributes
 * apart from their rules, so that the rules ({@link JobNames}, {@link SubmitConf}, {@link
 * GangConf}, {@link StorageExpansion}) read a job without the job's checks depending on them in
 * a loop. Not for users to extend.
 */
public abstract class JobDescription {
  /** The Spark version the SDK defaults to; its official image is the default image. */
  public static final String DEFAULT_SPARK_VERSION = SparkVersions.DEFAULT;
  /** The uid of the {@code spark} user in the official images. */
  public static final long SPARK_UID = 185;
  /** The default {@link #sparkUser()}: {@code spark}, the user of the Spark images. */
  public static final String DEFAULT_SPARK_USER = "spark";
  /** The label of the driver and executor pods that holds {@link #tenant()}. */
  public static final String TENANT_LABEL = "sparkk8s.io/tenant";

  JobDescription() {}

  // ---- identity ---------------------------------------------------------------------------

  /** The job's name: a DNS-1123 label, the base of its Kubernetes object names. */
  public abstract String name();

  /** The namespace the job runs in; {@code default} unless set. */
  @Value.Default
  public String namespace() {
    return "default";
  }

  /** {@code spark.app.name}: free text shown in Spark's UI; see {@link #sparkAppName()}. */
  public abstract Optional<String> appName();

  /**
   * The Spark application name in effect: {@link #appName()}, or the job's name. Computed on each
   * call, so a copy with another name follows it.
   */
  public String sparkAppName() {
    return appName().orElse(name());
  }

  /**
   * {@code spark.app.id}. Unset, it is derived from the description's content, so the same
   * description always has the same id.
   */
  public abstract Optional<String> appId();

  /**
   * The Spark application id in effect: {@link #appId()}, or the one derived from the whole
   * description (equal descriptions, equal ids; a copy with any attribute changed, a secret
   * value included, gets another).
   * Computed once per description: every name of the job's objects hangs on it.
   */
  public abstract String sparkAppId();

  // ---- what to run ------------------------------------------------------------------------

  /** The Spark version of the image; selects the default image and the {@code spark-version} label. */
  @Value.Default
  public String sparkVersion() {
    return DEFAULT_SPARK_VERSION;
  }

  /** The container image of driver and executors, when not the default; see {@link #containerImage()}. */
  public abstract Optional<String> image();

  /**
   * The image in effect: {@link #image()}, or the official {@code apache/spark} image of
   * {@link #sparkVersion()}. Computed on each call, so a copy with another version follows it.
   */
  public String containerImage() {
    return image().orElse("apache/spark:" + sparkVersion());
  }

  /** What the job runs. */
  public abstract Application application();

  /** Arguments passed to the application's main method or script. */
  public abstract List<String> arguments();

  /** Extra jars for driver and executor classpaths ({@code spark.jars}), as remote URIs. */
  public abstract List<String> jars();

  /** Extra files placed in each executor's working directory ({@code spark.files}). */
  public abstract List<String> files();

  /**
   * Any other Spark conf. Keys (and key prefixes such as {@code spark.kubernetes.driver.secrets.})
   * that a typed attribute owns are rejected; values of keys that become fields of Kubernetes
   * objects (ports, memory, cores, labels, annotations, env names, scheduler, local dirs) are
   * checked like the typed attributes; {@code spark.properties} must fit a ConfigMap (1 MiB).
   */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> sparkConf();

  // ---- resources --------------------------------------------------------------------------

  /** Driver resources and driver-only pod settings. */
  @Value.Default
  public Driver driver() {
    return Driver.defaults();
  }

  /** Executor resources and executor-only pod settings. */
  @Value.Default
  public Executor executor() {
    return Executor.defaults();
  }

  /** Dynamic allocation of executors, instead of a fixed {@code executor.instances}. */
  public abstract Optional<DynamicAllocation> dynamicAllocation();

  // ---- pods -------------------------------------------------------------------------------

  /** The driver's ServiceAccount ({@code spark.kubernetes.authenticate.driver.serviceAccountName}). */
  public abstract Optional<String> serviceAccount();

  /**
   * The executors' ServiceAccount; the namespace's {@code default} unless set (Spark alone would
   * use the driver's). Executors get no token of it unless {@link Executor#mountServiceAccountToken()}.
   */
  public abstract Optional<String> executorServiceAccount();

  /**
   * A Secret whose key {@code secret} holds the key for Spark's own authentication
   * ({@code spark.authenticate}) between driver and executors. Mounted on both and read from the
   * file, so the key never appears in a pod spec (Spark alone passes it as an environment literal).
   * Setting it turns {@link #sparkAuthentication()} on; to have a key drawn per job instead, leave
   * it unset and turn {@code sparkAuthentication} on.
   */
  public abstract Optional<String> authenticationSecret();

  /**
   * Whether driver and executors use Spark's own authentication ({@code spark.authenticate}), so
   * that only pods holding the job's key can speak Spark's RPC protocol to its driver. With
   * {@link #authenticationSecret()} the key is the caller's Secret's; without it the client draws a
   * fresh 256-bit key for each job (each attempt of a retried job) at submit, into a Secret
   * {@code <resource prefix>-auth} (key {@code secret}) that the driver owns and that goes with it.
   * Compiling stays deterministic: the compiled Secret has no key, the client fills it in the
   * request that creates it, so the key is in no description, record, ConfigMap or pod spec. A
   * manifest from {@code toYaml()} carries that Secret without its key: name your own Secret for
   * kubectl. Off unless {@code authenticationSecret} is set: it costs one more create per submit.
   */
  @Value.Default
  public boolean sparkAuthentication() {
    return authenticationSecret().isPresent();
  }

  /** NetworkPolicies allowing only what Spark needs; none unless set. */
  public abstract Optional<NetworkIsolation> networkIsolation();

  /** Caps on executors, cores, memory, sizes and priority, checked at {@code build()}. */
  @Value.Default
  public Limits limits() {
    return Limits.defaults();
  }

  /** Labels of the driver and executor pods. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> labels();

  /** Annotations of the driver and executor pods. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> annotations();

  /** Node selector of the driver and executor pods ({@code spark.kubernetes.node.selector.*}). */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> nodeSelector();

  /** Tolerations of the driver and executor pods. */
  public abstract List<Toleration> tolerations();

  /** Environment variables of the driver and executor containers. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> env();

  /** Environment variables read from Secrets. */
  public abstract List<SecretEnv> secretEnv();

  /** Secrets mounted as files. */
  public abstract List<SecretVolume> secretVolumes();

  /** Volumes mounted into the driver, the executors or both. */
  public abstract List<Volume> volumes();

  /** {@code spark.kubernetes.container.image.pullPolicy}; Spark's default is IfNotPresent. */
  public abstract Optional<ImagePullPolicy> imagePullPolicy();

  /** Secrets to pull the image with ({@code spark.kubernetes.container.image.pullSecrets}). */
  public abstract List<String> imagePullSecrets();

  /** The PriorityClass of the driver and executor pods. */
  public abstract Optional<String> priorityClassName();

  /** {@code --proxy-user}: the user Spark impersonates on Hadoop-secured storage. */
  public abstract Optional<String> proxyUser();

  /**
   * The driver's {@code SPARK_USER}: {@value #DEFAULT_SPARK_USER} unless set, not the OS user as
   * with spark-submit, so every replica of a service derives the same job and application id.
   * Set it to the person or tenant the job runs for.
   */
  @Value.Default
  public String sparkUser() {
    return DEFAULT_SPARK_USER;
  }

  /**
   * Who the job runs for (a team, a customer, a user of the service that embeds the SDK), written
   * as a label value. It labels the driver and executor pods {@value #TENANT_LABEL} and is part of
   * the job's identity: two tenants' jobs with the same name and description derive two
   * application ids and two sets of objects, and a tenant's jobs are found with
   * {@code list(namespace, "sparkk8s.io/tenant=<tenant>")}. Unset, the pods carry no such label
   * and the identity is what it was without the attribute. Never taken from the OS user or the
   * host, so every replica of a service derives the same identity.
   */
  public abstract Optional<String> tenant();

  /**
   * Whether pods get the security context of the {@code restricted} Pod Security level
   * (non-root as {@link #runAsUser()}, no privilege escalation, all capabilities dropped,
   * seccomp RuntimeDefault). On by default; turn it off only for an image that needs root, or
   * for {@code hostPath} and {@code nfs} volumes, which the {@code restricted} level forbids (a
   * description with them and this on is rejected).
   */
  @Value.Default
  public boolean restrictedSecurityContext() {
    return true;
  }

  /** The uid the containers run as when {@link #restrictedSecurityContext()} is on; 185 by default. */
  @Value.Default
  public long runAsUser() {
    return SPARK_UID;
  }

  /**
   * How long the driver may take to start running. A job still pending then (unschedulable, image
   * not pullable, quota exceeded) ends {@code FAILED} with reason {@code StartTimeout}, the
   * Kubernetes reason and the pod's last events, and its objects are deleted. Unset, a job may
   * wait forever, as with {@code spark-submit}. Enforced by the client that submits it.
   */
  public abstract Optional<java.time.Duration> startTimeout();

  /**
   * Shared storage the job reads or writes ({@code gs://}, {@code s3a://}, {@code hdfs://}, NFS):
   * each backend's conf, connector packages, volumes and Secret mounts go to the driver and the
   * executors. The event log's backend is added without being listed here.
   */
  public abstract List<StorageBackend> storage();

  /** Event logging to a backend, for a History Server or the event log reader. */
  public abstract Optional<EventLog> eventLog();

  /**
   * Whether and how the job is run again when an attempt fails (see {@link RetryPolicy}). Unset,
   * the job has one attempt, as with {@code spark-submit}.
   */
  public abstract Optional<RetryPolicy> retryPolicy();

  /**
   * When the finished job's objects are deleted (see {@link Retention}). Unset, they are kept
   * until someone deletes them.
   */
  public abstract Optional<Retention> retention();

  /**
   * The base URL of the Spark History Server that reads this job's event log, for example
   * {@code https://spark-history.example.com}. {@code SparkJobHandle.sparkUi()} points there after
   * the job ended. Log the job's events where that server reads with {@link #eventLog()}.
   */
  public abstract Optional<String> historyServerUrl();

  /**
   * Gang scheduling by Volcano or YuniKorn (see {@link GangScheduling}): the driver and the
   * gang's executors are placed together or not at all. Unset, pods are placed one by one by the
   * scheduler the namespace uses. It owns the scheduler name, so {@code sparkConf} must not set
   * {@code spark.kubernetes.*scheduler.name} with it, nor labels or annotations the scheduler
   * reads (YuniKorn: {@code queue}, {@code applicationId} and the {@code yunikorn.apache.org/}
   * keys it sets; Volcano: {@code scheduling.k8s.io/group-name}).
   */
  public abstract Optional<GangScheduling> gangScheduling();
}
