package io.sparkk8s.spec;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.Volume;
import io.sparkk8s.validate.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
public abstract class SparkJob extends JobDescription {

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

  // ---- identity in effect ----------------------------------------------------------------

  /**
   * The Spark application id in effect: {@link #appId()}, or the one derived from the whole
   * description (equal descriptions, equal ids; a copy with any attribute changed, a secret
   * value included, gets another).
   * Computed once per description: every name of the job's objects hangs on it.
   */
  @Value.Lazy
  @Override
  public String sparkAppId() {
    return appId().orElseGet(() -> JobText.derivedAppId(this));
  }

  // ---- copies with a change ---------------------------------------------------------------

  /** A copy logging events as {@code eventLog} says. */
  public abstract SparkJob withEventLog(EventLog eventLog);

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

  /**
   * A copy with its storage backends, event log and Spark authentication expanded into conf,
   * volumes and secrets, and removed: what Spark itself is given ({@link StorageExpansion}). A job
   * with nothing to expand is returned as is.
   */
  public SparkJob withStorageExpanded() {
    if (!StorageExpansion.expands(this)) {
      return this;
    }
    StorageExpansion.Parts parts = StorageExpansion.parts(this, Checks.of("SparkJob"));
    return builder().from(this)
        .storage(List.of())
        .eventLog(Optional.empty())
        .authenticationSecret(Optional.empty())
        .sparkAuthentication(false)
        .sparkConf(parts.sparkConf())
        .volumes(parts.volumes())
        .secretVolumes(parts.secretVolumes())
        .secretEnv(parts.secretEnv())
        .jars(parts.jars())
        .build();
  }

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
    String normalized = io.sparkk8s.validate.Text.normalizedPath(path);
    c.require(!io.sparkk8s.validate.Text.hasBackstep(path), "mountPath", path,
        "must not contain a '..' segment");
    boolean clash = (on.driver() && !driverPaths.add(normalized))
        | (on.executors() && !executorPaths.add(normalized));
    c.require(!clash, "mountPath", path, "two volumes or secrets are mounted at the same path");
    c.require(!normalized.equals("/opt/spark/conf") && !normalized.equals("/opt/spark/pod-template"),
        "mountPath", path, "is a path Spark mounts its own conf at");
  }
}
