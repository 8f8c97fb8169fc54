package io.sparkk8s.spec;

import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import io.sparkk8s.validate.Checks;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a job's storage backends, event log and authentication Secret into the ordinary parts Spark knows: conf, volumes,
 * Secret mounts and Secret-backed variables; with {@link SparkJob#networkIsolation()}, it pins the
 * executors' block manager port that the job's NetworkPolicy allows. What Spark creates for the expanded job is then exactly
 * what {@code spark-submit} creates for the same conf, so the storage features need no feature step
 * of their own.
 */
public final class StorageExpansion {
  private static final String PACKAGES = "spark.jars.packages";
  /** The executors' block manager port, which a job's NetworkPolicy must be able to name. */
  public static final String EXECUTOR_BLOCK_MANAGER_PORT = "spark.blockManager.port";
  /** The authentication Secret's key holding Spark's shared secret (read as {@link #AUTH_FILE}). */
  public static final String AUTH_KEY = "secret";
  /**
   * Where the key of Spark's authentication is mounted ({@link SparkJob#authenticationSecret()} or
   * the one the client draws), on the driver and the executors.
   */
  public static final String AUTH_MOUNT_PATH = "/opt/sparkk8s/spark-auth";
  /** The file Spark reads the authentication key from: the Secret's key {@code secret}. */
  public static final String AUTH_FILE = AUTH_MOUNT_PATH + "/" + AUTH_KEY;
  /** The executor variable that gives its bootstrap a {@code k8s://} master (see {@link #AUTH_CONF}). */
  static final String AUTH_MASTER_ENV = "SPARK_JAVA_OPT_SPARKK8S_AUTH_MASTER";
  /**
   * The conf of Spark's authentication with the key in {@link #AUTH_FILE}, for a job's
   * {@code authenticationSecret} and a notebook's sessions. The driver and executor file settings
   * fall back to {@code spark.authenticate.secret.file}, so Spark writes no environment literal of
   * the key. An executor first fetches the driver's conf with only the startup conf
   * ({@code spark.auth*}, {@code spark.rpc*}, {@code spark.network*}), and Spark's SecurityManager
   * reads a key file only when {@code spark.master} is a {@code k8s://} URL: the image's entrypoint
   * turns every {@code SPARK_JAVA_OPT_*} variable into a JVM option, which gives the executor that
   * master for this first step.
   */
  public static final Map<String, String> AUTH_CONF = Map.of(
      "spark.authenticate", "true",
      "spark.authenticate.secret.file", AUTH_FILE,
      "spark.executorEnv." + AUTH_MASTER_ENV, "-Dspark.master=k8s://https://kubernetes.default.svc");

  private StorageExpansion() {}

  /** What the backends add to a job. */
  record Parts(
      List<Volume> volumes,
      List<SecretVolume> secretVolumes,
      List<SecretEnv> secretEnv,
      TreeMap<String, String> sparkConf,
      List<String> jars) {}

  /** The backends a job uses: {@link SparkJob#storage()} then the event log's, without repeats. */
  static List<StorageBackend> backends(JobDescription job) {
    Set<StorageBackend> all = new LinkedHashSet<>(job.storage());
    job.eventLog().map(EventLog::backend).ifPresent(all::add);
    return List.copyOf(all);
  }

  /**
   * The job's own parts plus its backends', with every conflict recorded in {@code c}: two backends
   * with one name, or a conf key set to two different values (by two backends, or by a backend and
   * the job's own {@code sparkConf}).
   */
  static Parts parts(JobDescription job, Checks c) {
    List<Volume> volumes = new ArrayList<>(job.volumes());
    List<SecretVolume> secretVolumes = new ArrayList<>(job.secretVolumes());
    List<SecretEnv> secretEnv = new ArrayList<>(job.secretEnv());
    TreeMap<String, String> conf = new TreeMap<>(job.sparkConf());
    Map<String, String> setBy = new TreeMap<>();
    conf.keySet().forEach(k -> setBy.put(k, "sparkConf"));

    LinkedHashSet<String> jars = new LinkedHashSet<>(job.jars());
    Set<String> names = new LinkedHashSet<>();
    LinkedHashSet<String> packages = new LinkedHashSet<>(split(conf.get(PACKAGES)));
    for (StorageBackend b : backends(job)) {
      String who = "storage[" + b.name() + "]";
      c.require(names.add(b.name()), "storage", b.name(),
          "two backends share this name; give one another with withName(...)");
      jars.addAll(b.connectorJars(job.sparkVersion()));
      volumes.addAll(b.volumes());
      secretVolumes.addAll(b.secretVolumes());
      for (SecretEnv e : b.secretEnv()) {
        // Two S3 backends with the same Secret need the variables once.
        if (!secretEnv.contains(e)) {
          secretEnv.add(e);
        }
      }
      b.sparkConf(job.sparkVersion()).forEach((k, v) -> {
        if (k.equals(PACKAGES)) {
          packages.addAll(split(v));
        } else if (k.equals("spark.jars.ivy")) {
          conf.putIfAbsent(k, v);
        } else {
          put(c, conf, setBy, k, v, who);
        }
      });
    }
    job.eventLog().ifPresent(log -> log.sparkConf().forEach((k, v) ->
        put(c, conf, setBy, k, v, "eventLog")));
    if (!packages.isEmpty()) {
      conf.put(PACKAGES, String.join(",", packages));
    }
    authSecret(job).filter(s -> !Checks.of("").dnsLabel("", s,
        Checks.DNS1123_LABEL_MAX - "-volume".length()).hasProblems()).ifPresent(secret -> {
      // An invalid name is reported by SparkJob's own check.
      secretVolumes.add(SecretVolume.of(secret, AUTH_MOUNT_PATH));
      // The driver and executors read the key from the file (the driver and executor file
      // settings fall back to this one), so Spark writes no environment literal of it.
      String who = drawsAuthKey(job) ? "sparkAuthentication" : "authenticationSecret";
      AUTH_CONF.forEach((k, v) -> put(c, conf, setBy, k, v, who));
    });
    if (job.networkIsolation().isPresent()) {
      // An executor binds its block manager to a random port unless spark.blockManager.port is set
      // (Spark's executor pod only declares 7079), so the other executors' shuffle fetches would be
      // refused by the job's NetworkPolicy, which names the port. A port the caller chose stays.
      conf.putIfAbsent(EXECUTOR_BLOCK_MANAGER_PORT,
          Integer.toString(ConfValues.DEFAULT_BLOCK_MANAGER_PORT));
    }
    return new Parts(volumes, secretVolumes, secretEnv, conf, List.copyOf(jars));
  }

  /**
   * The Secret holding the key of Spark's authentication: the caller's, or the one the client
   * draws (the compiler's {@code SparkAuthStep}); none if the job does not authenticate.
   */
  private static Optional<String> authSecret(JobDescription job) {
    if (!job.sparkAuthentication()) {
      return Optional.empty();
    }
    return job.authenticationSecret().or(() -> Optional.of(JobNames.of(job).authSecretName()));
  }

  /**
   * Whether the client draws the key of the job's Spark authentication (into the Secret the
   * compiler's {@code SparkAuthStep} leaves unfilled).
   */
  public static boolean drawsAuthKey(JobDescription job) {
    return job.sparkAuthentication() && job.authenticationSecret().isEmpty();
  }

  /**
   * Whether anything expands into the job (backends, an event log, Spark authentication, network
   * isolation); without, its {@link #parts} are its own and no conflict can arise.
   */
  static boolean expands(JobDescription job) {
    return !job.storage().isEmpty() || job.eventLog().isPresent() || job.sparkAuthentication()
        || job.networkIsolation().isPresent();
  }

  private static void put(Checks c, TreeMap<String, String> conf, Map<String, String> setBy,
      String key, String value, String who) {
    String existing = conf.get(key);
    if (existing != null && !existing.equals(value)) {
      c.fail(who, key + "=" + value, "conflicts with " + key + "=" + existing + " set by "
          + setBy.get(key) + "; remove one");
      return;
    }
    conf.put(key, value);
    setBy.putIfAbsent(key, who);
  }

  private static List<String> split(String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }
}
