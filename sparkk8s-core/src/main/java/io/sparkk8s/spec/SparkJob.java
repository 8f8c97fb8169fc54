package io.sparkk8s.spec;

import io.sparkk8s.internal.validate.Checks;
import io.sparkk8s.internal.validate.SparkVersions;
import io.sparkk8s.internal.validate.Uris;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import org.immutables.value.Value;

/**
 * A Spark application to run on Kubernetes in cluster mode: what {@code spark-submit --master
 * k8s://... --deploy-mode cluster} would be told, as a validated, immutable value.
 *
 * <pre>{@code
 * SparkJob pi = SparkJob.builder()
 *     .name("spark-pi")
 *     .namespace("jobs")
 *     .application(Application.jvm("org.apache.spark.examples.SparkPi",
 *         "local:///opt/spark/examples/jars/spark-examples.jar"))
 *     .addArgument("1000")
 *     .executor(Executor.builder().instances(2).memory("2g").build())
 *     .serviceAccount("spark")
 *     .build();
 * CompiledJob objects = SparkCompiler.compile(pi);
 * }</pre>
 *
 * <p>Everything is checked by {@code build()}: a bad value throws
 * {@link io.sparkk8s.exception.InvalidDescriptionException} listing every broken rule, before any cluster is
 * contacted. Missing mandatory attributes ({@code name}, {@code application}) are reported
 * together.
 *
 * <p><b>Names.</b> {@link #name()} is a DNS-1123 label. The Kubernetes objects of a job are named
 * from it and from a short hash of the job's identity, truncated so every name fits Kubernetes'
 * limits; two jobs whose names differ only past the cut still get different objects.
 *
 * <p><b>Identity.</b> The same description always compiles to the same objects with the same
 * Spark application id, so a submit retried after a timeout is recognised instead of launching a
 * second driver. To run the same description again as a new application, give it a new
 * {@link #appId()}: {@code job.withAppId(SparkJob.newAppId())}.
 */
@Value.Immutable
public abstract class SparkJob {
  /** The Spark version the SDK defaults to; its official image is the default image. */
  public static final String DEFAULT_SPARK_VERSION = SparkVersions.DEFAULT;
  /** The uid of the {@code spark} user in the official images. */
  public static final long SPARK_UID = 185;

  /**
   * Conf keys that typed attributes own, with the attribute to use instead. Spark computes the
   * last three itself and rejects them from users.
   */
  private static final java.util.Map<String, String> OWNED_CONF = java.util.Map.ofEntries(
      java.util.Map.entry("spark.app.name", "appName"),
      java.util.Map.entry("spark.app.id", "appId"),
      java.util.Map.entry("spark.master", "(the client's cluster)"),
      java.util.Map.entry("spark.submit.deployMode", "(always cluster)"),
      java.util.Map.entry("spark.kubernetes.namespace", "namespace"),
      java.util.Map.entry("spark.kubernetes.container.image", "image"),
      java.util.Map.entry("spark.kubernetes.driver.pod.name", "name"),
      java.util.Map.entry("spark.executor.instances", "executor.instances"),
      java.util.Map.entry("spark.dynamicAllocation.enabled", "dynamicAllocation"),
      java.util.Map.entry("spark.driver.host", "(set by Spark to the driver Service)"),
      java.util.Map.entry("spark.driver.bindAddress", "(set by Spark to the pod IP)"),
      java.util.Map.entry("spark.kubernetes.submitInDriver", "(set by Spark)"),
      java.util.Map.entry("spark.kubernetes.executor.podTemplateFile",
          "tolerations, priorityClassName and the typed pod settings (the SDK writes the template)"),
      java.util.Map.entry("spark.kubernetes.driver.podTemplateFile",
          "the typed pod settings (a local file is not readable by the cluster)"),
      java.util.Map.entry("spark.kubernetes.executor.podNamePrefix", "name"),
      java.util.Map.entry("spark.kubernetes.container.image.pullPolicy", "imagePullPolicy"),
      java.util.Map.entry("spark.kubernetes.container.image.pullSecrets", "imagePullSecrets"),
      java.util.Map.entry("spark.kubernetes.authenticate.driver.serviceAccountName", "serviceAccount"),
      java.util.Map.entry("spark.kubernetes.authenticate.executor.serviceAccountName",
          "executorServiceAccount"));

  /**
   * A container image reference, after the grammar of the distribution project's
   * {@code reference} package: optional registry host and port, lowercase path components, an
   * optional tag and an optional digest. The kubelet fails anything else with InvalidImageName.
   */
  static final java.util.regex.Pattern IMAGE_REFERENCE = java.util.regex.Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
          + "(?::[0-9]+)?/)?"
          + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
          + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
          + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");

  /** Linux's limit on one argument of a process ({@code MAX_ARG_STRLEN}). */
  static final int MAX_ARGUMENT_BYTES = 128 * 1024;

  SparkJob() {}

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A fresh random Spark application id ({@code spark-} and 32 hex digits), as Spark makes one. */
  public static String newAppId() {
    return "spark-" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The builder of {@link SparkJob}; {@code name} and {@code application} are mandatory. */
  public static final class Builder extends ImmutableSparkJob.Builder {
    Builder() {}
  }

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
  @Value.Lazy
  public String sparkAppId() {
    return appId().orElseGet(() -> JobText.derivedAppId(this));
  }

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

  /** The default {@link #sparkUser()}: {@code spark}, the user of the Spark images. */
  public static final String DEFAULT_SPARK_USER = "spark";

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

  /** The label of the driver and executor pods that holds {@link #tenant()}. */
  public static final String TENANT_LABEL = "sparkk8s.io/tenant";

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

  /** A copy logging events as {@code eventLog} says. */
  public abstract SparkJob withEventLog(EventLog eventLog);

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

  // ---- copies with a change ---------------------------------------------------------------

  /** A copy with this gang scheduling. */
  public abstract SparkJob withGangScheduling(GangScheduling gangScheduling);

  /** A copy with another name. */
  public abstract SparkJob withName(String name);

  /** A copy in another namespace. */
  public abstract SparkJob withNamespace(String namespace);

  /** A copy with this application id (for example {@link #newAppId()} to run it again). */
  public abstract SparkJob withAppId(String appId);

  /** A copy with this retry policy. */
  public abstract SparkJob withRetryPolicy(RetryPolicy retryPolicy);

  /** A copy with this retention. */
  public abstract SparkJob withRetention(Retention retention);

  /** A copy with another image. */
  public abstract SparkJob withImage(String image);

  /** A copy with these arguments instead of the current ones. */
  public abstract SparkJob withArguments(String... arguments);

  /** A copy with this Spark conf instead of the current one. */
  public abstract SparkJob withSparkConf(java.util.Map<String, ? extends String> sparkConf);

  /** A copy with other driver settings. */
  public abstract SparkJob withDriver(Driver driver);

  /** A copy with other executor settings. */
  public abstract SparkJob withExecutor(Executor executor);

  /** A copy with these labels instead of the current ones. */
  public abstract SparkJob withLabels(java.util.Map<String, ? extends String> labels);

  // ---- validation -------------------------------------------------------------------------

  /** The longest name whose objects keep their full name (see the class comment). */
  public static final int MAX_NAME_LENGTH = Checks.DNS1123_LABEL_MAX;

  /** The attributes, with secret-looking conf, environment and argument values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return JobText.shown(this);
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("SparkJob");
    c.dnsLabel("name", name(), MAX_NAME_LENGTH);
    c.dnsLabel("namespace", namespace(), Checks.DNS1123_LABEL_MAX);
    appName().ifPresent(n -> c.require(!n.isBlank(), "appName", n, "must not be blank"));
    appId().ifPresent(id -> c.require(SpecPatterns.APP_ID.matcher(id).matches(), "appId",
        id, "must be a label value of at most 63 lowercase letters, digits and '-'"
            + " (it becomes the spark-app-selector label), such as SparkJob.newAppId()"));
    c.require(SpecPatterns.SPARK_VERSION.matcher(sparkVersion()).matches(), "sparkVersion",
        sparkVersion(), "must be a Spark version such as 4.1.1");
    image().ifPresent(i -> c.require(IMAGE_REFERENCE.matcher(i).matches(), "image",
        Checks.escape(i), "must be a container image reference such as"
            + " registry.example.com:5000/team/spark:4.1.1 or name@sha256:<digest>"));

    for (String jar : jars()) {
      Uris.checkResource(c, "jars", jar);
    }
    for (String file : files()) {
      Uris.checkResource(c, "files", file);
    }
    sparkConf().forEach((k, v) -> {
      if (!k.startsWith("spark.")) {
        c.fail("sparkConf", k, "keys must start with 'spark.'; Hadoop settings go under spark.hadoop.*");
      } else if (OWNED_CONF.containsKey(k)) {
        c.fail("sparkConf", k, "is set by the SDK; use " + OWNED_CONF.get(k) + " instead");
      }
    });

    ConfChecks.check(c, sparkConf());
    ConfChecks.checkEnv(c, this);
    JobText.check(c, this);
    if (restrictedSecurityContext()) {
      for (Volume v : volumes()) {
        c.require(v.type() != Volume.Type.HOST_PATH && v.type() != Volume.Type.NFS,
            "volumes", v.name(), v.type().sparkName() + " volumes are not allowed by the"
                + " restricted Pod Security level that the SDK's pods meet; mount the data"
                + " through a persistentVolumeClaim, or set restrictedSecurityContext(false)"
                + " in a namespace that allows them");
      }
    }
    for (Volume v : volumes()) {
      String claim = v.options().getOrDefault("claimName", "");
      c.require(!(v.mountOn().driver() && claim.contains("SPARK_EXECUTOR_ID")), "volumes",
          v.name(), "a claimName with SPARK_EXECUTOR_ID names one claim per executor; mount it"
              + " on EXECUTORS only");
    }

    if (executor().instances().isPresent() && dynamicAllocation().isPresent()) {
      c.fail("executor.instances", executor().instances().get(),
          "cannot be set together with dynamicAllocation; set one or the other");
    }

    serviceAccount().ifPresent(sa -> c.dnsSubdomain("serviceAccount", sa));
    executorServiceAccount().ifPresent(sa -> c.dnsSubdomain("executorServiceAccount", sa));
    authenticationSecret().ifPresent(s -> c.dnsLabel("authenticationSecret", s,
        Checks.DNS1123_LABEL_MAX - "-volume".length()));
    authenticationSecret().ifPresent(s -> c.require(sparkAuthentication(), "sparkAuthentication",
        false, "cannot be off with an authenticationSecret (" + s + "); drop one or the other"));
    RoleChecks.checkLabels(c, "labels", labels());
    c.annotations("annotations", annotations());
    c.labels("nodeSelector", nodeSelector());
    env().keySet().forEach(k -> c.envName("env", k));
    imagePullSecrets().forEach(s -> c.dnsSubdomain("imagePullSecrets", s));
    priorityClassName().ifPresent(p -> c.dnsSubdomain("priorityClassName", p));
    proxyUser().ifPresent(u -> c.require(!u.isBlank() && !SpecPatterns.WHITE_SPACE.matcher(u).find(), "proxyUser", u,
        "must be a user name without spaces"));
    c.require(!sparkUser().isBlank(), "sparkUser", sparkUser(), "must not be blank");
    tenant().ifPresent(t -> c.labels("tenant", Map.of(TENANT_LABEL, t)));
    startTimeout().ifPresent(t -> c.require(!t.isNegative() && !t.isZero(), "startTimeout", t,
        "must be positive"));
    historyServerUrl().ifPresent(u -> c.require(SpecPatterns.HTTP_URL.matcher(u).matches(),
        "historyServerUrl", u, "must be an http:// or https:// URL without query or fragment"));
    c.require(runAsUser() > 0 && runAsUser() <= Integer.MAX_VALUE, "runAsUser", runAsUser(),
        "must be a non-root uid (greater than 0, at most 2147483647)");

    // Most jobs expand nothing: their own lists are their parts (no copies on every build()). The
    // rules below read no conf from the parts, so none is made for them.
    StorageExpansion.Parts parts = StorageExpansion.expands(this) ? StorageExpansion.parts(this, c)
        : new StorageExpansion.Parts(volumes(), secretVolumes(), secretEnv(), null, jars());
    Set<String> volumeNames = new HashSet<>();
    Set<String> driverPaths = new HashSet<>();
    Set<String> executorPaths = new HashSet<>();
    for (Volume v : parts.volumes()) {
      c.require(volumeNames.add(v.name()), "volumes", v.name(), "volume names must be unique");
      c.require(!v.name().equals("spark-conf-volume-driver") && !v.name().equals("pod-template-volume"),
          "volumes", v.name(), "is a volume name Spark uses itself");
      claimPath(c, driverPaths, executorPaths, v.mountOn(), v.mountPath());
    }
    Set<String> secretNames = new HashSet<>();
    for (SecretVolume s : parts.secretVolumes()) {
      c.require(secretNames.add(s.secretName()), "secretVolumes", s.secretName(),
          "each Secret can be mounted once");
      c.require(!volumeNames.contains(s.secretName() + "-volume"), "secretVolumes", s.secretName(),
          "its volume name '" + s.secretName() + "-volume' clashes with a volume of the same name");
      claimPath(c, driverPaths, executorPaths, s.mountOn(), s.mountPath());
    }
    boolean userLocalDirs = volumes().stream()
        .anyMatch(v -> v.mountOn().driver() && v.name().startsWith("spark-local-dir-"));
    String localDirs = sparkConf().get("spark.local.dir");
    if (localDirs != null && !userLocalDirs) {
      for (String dir : localDirs.split(",", -1)) {
        claimPath(c, driverPaths, new HashSet<>(), MountOn.DRIVER, dir);
      }
    }
    Set<String> envNames = new HashSet<>();
    for (SecretEnv e : parts.secretEnv()) {
      c.require(envNames.add(e.envName()), "secretEnv", e.envName(),
          "each variable can be set once");
      c.require(!env().containsKey(e.envName()), "secretEnv", e.envName(),
          "is also set as a literal in env; keep one");
    }
    SchedulerChecks.check(c, this);
    if (!c.hasProblems()) {
      checkCompiled(c);
    }
    c.throwIfAny();
  }

  /** Rules on what the description compiles to, once every attribute is valid by itself. */
  private void checkCompiled(Checks c) {
    var names = JobNames.of(this);
    var conf = SubmitConf.of(this, names);
    int major = Integer.parseInt(sparkVersion().substring(0, sparkVersion().indexOf('.')));
    ConfChecks.checkEffective(c, conf, major, application().kind() == Application.Kind.PYTHON);
    JobLimits.check(c, this, conf);
  }

  private static void claimPath(Checks c, Set<String> driverPaths, Set<String> executorPaths,
      MountOn on, String path) {
    // Compared as the kernel resolves them: /opt/spark/./conf is /opt/spark/conf.
    String normalized = io.sparkk8s.internal.validate.Text.normalizedPath(path);
    c.require(!io.sparkk8s.internal.validate.Text.hasBackstep(path), "mountPath", path,
        "must not contain a '..' segment");
    boolean clash = (on.driver() && !driverPaths.add(normalized))
        | (on.executors() && !executorPaths.add(normalized));
    c.require(!clash, "mountPath", path, "two volumes or secrets are mounted at the same path");
    c.require(!normalized.equals("/opt/spark/conf") && !normalized.equals("/opt/spark/pod-template"),
        "mountPath", path, "is a path Spark mounts its own conf at");
  }
}
