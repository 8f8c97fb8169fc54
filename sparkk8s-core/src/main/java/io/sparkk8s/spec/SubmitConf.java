package io.sparkk8s.spec;

import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Spark conf that {@code spark-submit} holds for a job before Spark's Kubernetes code runs:
 * its command-line options ({@code --name}, {@code --driver-memory}, {@code --jars}, ...) turned
 * into {@code spark.*} keys as {@code SparkSubmit.prepareSubmitEnvironment} does, plus every
 * typed attribute expressed with the conf key Spark documents for it. Executors are created by the
 * driver, so everything they need travels in these keys.
 */
public final class SubmitConf {
  /** The master the driver talks to from inside the cluster. */
  static final String IN_CLUSTER_MASTER = "k8s://https://kubernetes.default.svc";

  private SubmitConf() {}

  /** The submit-side conf of {@code job}, sorted by key. */
  public static TreeMap<String, String> of(JobDescription job, JobNames names) {
    TreeMap<String, String> conf = new TreeMap<>();
    conf.put("spark.master", IN_CLUSTER_MASTER);
    conf.put("spark.submit.deployMode", "cluster");
    conf.put("spark.app.name", job.sparkAppName());
    conf.put("spark.kubernetes.namespace", job.namespace());
    conf.put("spark.kubernetes.container.image", job.containerImage());
    // Deterministic executor pod names (Spark draws a random prefix otherwise).
    conf.put("spark.kubernetes.executor.podNamePrefix", names.resourcePrefix());

    Application app = job.application();
    List<String> jars = new ArrayList<>(job.jars());
    if (app.kind() == Application.Kind.JVM) {
      // SparkSubmit adds the primary jar to spark.jars in cluster mode.
      jars.add(app.resource());
    }
    // SparkSubmit always sets it, empty for a JVM application.
    conf.put("spark.submit.pyFiles", String.join(",", app.pyFiles()));
    putList(conf, "spark.jars", jars);
    putList(conf, "spark.files", job.files());

    driver(conf, job.driver());
    executor(conf, job.executor());
    job.dynamicAllocation().ifPresent(da -> {
      dynamicAllocation(conf, da);
      // Spark's default maximum is unbounded: a job asks for at most its limit (sparkConf may
      // still set one, checked against the same limit).
      conf.putIfAbsent("spark.dynamicAllocation.maxExecutors",
          Integer.toString(job.limits().maxExecutors()));
    });

    job.serviceAccount().ifPresent(
        sa -> conf.put("spark.kubernetes.authenticate.driver.serviceAccountName", sa));
    job.executorServiceAccount().ifPresent(
        sa -> conf.put("spark.kubernetes.authenticate.executor.serviceAccountName", sa));

    putPrefixed(conf, "spark.kubernetes.driver.label.", job.labels());
    putPrefixed(conf, "spark.kubernetes.executor.label.", job.labels());
    putPrefixed(conf, "spark.kubernetes.driver.annotation.", job.annotations());
    putPrefixed(conf, "spark.kubernetes.executor.annotation.", job.annotations());
    putPrefixed(conf, "spark.kubernetes.node.selector.", job.nodeSelector());
    putPrefixed(conf, "spark.kubernetes.driverEnv.", job.env());
    putPrefixed(conf, "spark.executorEnv.", job.env());
    // Role-specific values come last so they win over the job-wide ones.
    putPrefixed(conf, "spark.kubernetes.driver.label.", job.driver().labels());
    putPrefixed(conf, "spark.kubernetes.executor.label.", job.executor().labels());
    job.tenant().ifPresent(t -> {
      conf.put("spark.kubernetes.driver.label." + JobDescription.TENANT_LABEL, t);
      conf.put("spark.kubernetes.executor.label." + JobDescription.TENANT_LABEL, t);
    });
    putPrefixed(conf, "spark.kubernetes.driver.annotation.", job.driver().annotations());
    putPrefixed(conf, "spark.kubernetes.executor.annotation.", job.executor().annotations());
    putPrefixed(conf, "spark.kubernetes.driver.node.selector.", job.driver().nodeSelector());
    putPrefixed(conf, "spark.kubernetes.executor.node.selector.", job.executor().nodeSelector());
    putPrefixed(conf, "spark.kubernetes.driverEnv.", job.driver().env());
    putPrefixed(conf, "spark.executorEnv.", job.executor().env());

    for (SecretEnv e : job.secretEnv()) {
      String ref = e.secretName() + ":" + e.key();
      on(e.mountOn(), role -> conf.put("spark.kubernetes." + role + ".secretKeyRef." + e.envName(), ref));
    }
    for (SecretVolume s : job.secretVolumes()) {
      on(s.mountOn(), role -> conf.put("spark.kubernetes." + role + ".secrets." + s.secretName(),
          s.mountPath()));
    }
    for (Volume v : job.volumes()) {
      on(v.mountOn(), role -> volume(conf, "spark.kubernetes." + role + ".volumes.", v));
    }

    job.imagePullPolicy().ifPresent(
        p -> conf.put("spark.kubernetes.container.image.pullPolicy", p.value()));
    putList(conf, "spark.kubernetes.container.image.pullSecrets", job.imagePullSecrets());

    conf.putAll(job.sparkConf());
    GangConf.put(conf, job);
    return conf;
  }

  private static void driver(Map<String, String> conf, Driver d) {
    d.cores().ifPresent(n -> conf.put("spark.driver.cores", n.toString()));
    d.coreRequest().ifPresent(q -> conf.put("spark.kubernetes.driver.request.cores", q));
    d.coreLimit().ifPresent(q -> conf.put("spark.kubernetes.driver.limit.cores", q));
    d.memory().ifPresent(m -> conf.put("spark.driver.memory", m));
    d.memoryOverhead().ifPresent(m -> conf.put("spark.driver.memoryOverhead", m));
  }

  public static void executor(Map<String, String> conf, Executor e) {
    e.instances().ifPresent(n -> conf.put("spark.executor.instances", n.toString()));
    e.cores().ifPresent(n -> conf.put("spark.executor.cores", n.toString()));
    e.coreRequest().ifPresent(q -> conf.put("spark.kubernetes.executor.request.cores", q));
    e.coreLimit().ifPresent(q -> conf.put("spark.kubernetes.executor.limit.cores", q));
    e.memory().ifPresent(m -> conf.put("spark.executor.memory", m));
    e.memoryOverhead().ifPresent(m -> conf.put("spark.executor.memoryOverhead", m));
  }

  public static void dynamicAllocation(Map<String, String> conf, DynamicAllocation da) {
    conf.put("spark.dynamicAllocation.enabled", "true");
    conf.put("spark.dynamicAllocation.shuffleTracking.enabled", Boolean.toString(da.shuffleTracking()));
    da.minExecutors().ifPresent(n -> conf.put("spark.dynamicAllocation.minExecutors", n.toString()));
    da.initialExecutors().ifPresent(
        n -> conf.put("spark.dynamicAllocation.initialExecutors", n.toString()));
    da.maxExecutors().ifPresent(n -> conf.put("spark.dynamicAllocation.maxExecutors", n.toString()));
    da.executorIdleTimeout().ifPresent(
        t -> conf.put("spark.dynamicAllocation.executorIdleTimeout", t));
  }

  public static void volume(Map<String, String> conf, String prefix, Volume v) {
    String base = prefix + v.type().sparkName() + "." + v.name() + ".";
    conf.put(base + "mount.path", v.mountPath());
    conf.put(base + "mount.readOnly", Boolean.toString(v.readOnly()));
    v.subPath().ifPresent(p -> conf.put(base + "mount.subPath", p));
    v.options().forEach((k, val) -> conf.put(base + "options." + k, val));
  }

  private static void on(MountOn on, java.util.function.Consumer<String> role) {
    if (on.driver()) {
      role.accept("driver");
    }
    if (on.executors()) {
      role.accept("executor");
    }
  }

  private static void putPrefixed(Map<String, String> conf, String prefix, Map<String, String> m) {
    m.forEach((k, v) -> conf.put(prefix + k, v));
  }

  private static void putList(Map<String, String> conf, String key, List<String> values) {
    if (!values.isEmpty()) {
      conf.put(key, String.join(",", values));
    }
  }
}
