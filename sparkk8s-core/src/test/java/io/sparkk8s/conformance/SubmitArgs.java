package io.sparkk8s.conformance;

import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.MountOn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code spark-submit} command line a person would type for a {@link SparkJob}, written from
 * Spark's "Running on Kubernetes" documentation and {@code spark-submit --help}, independently of
 * the SDK's compiler: spark-submit's own flags where it has them, {@code --conf} otherwise.
 */
public final class SubmitArgs {
  private SubmitArgs() {}

  /** The command line for {@code job}; the two optional settings may be null (left out). */
  public static List<String> of(SparkJob job, String executorTemplateFile, String executorPrefix) {
    return of(job, executorTemplateFile, executorPrefix, null);
  }

  /**
   * {@code taskGroups}: the YuniKorn task groups JSON of a gang-scheduled job, as the SDK wrote it
   * (its content is checked against the pods Spark builds, not retyped here).
   */
  static List<String> of(SparkJob job, String executorTemplateFile, String executorPrefix,
      String taskGroups) {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--master", "k8s://https://kubernetes.default.svc", "--deploy-mode", "cluster",
        "--name", job.sparkAppName()));
    Application app = job.application();
    app.mainClass().ifPresent(c -> a.addAll(List.of("--class", c)));
    conf(a, "spark.kubernetes.namespace", job.namespace());
    conf(a, "spark.kubernetes.container.image", job.containerImage());
    if (executorTemplateFile != null) {
      conf(a, "spark.kubernetes.executor.podTemplateFile", executorTemplateFile);
    }
    if (executorPrefix != null) {
      conf(a, "spark.kubernetes.executor.podNamePrefix", executorPrefix);
    }
    job.appId().ifPresent(id -> { });
    job.driver().memory().ifPresent(m -> a.addAll(List.of("--driver-memory", m)));
    job.driver().cores().ifPresent(n -> a.addAll(List.of("--driver-cores", n.toString())));
    job.executor().memory().ifPresent(m -> a.addAll(List.of("--executor-memory", m)));
    job.executor().cores().ifPresent(n -> a.addAll(List.of("--executor-cores", n.toString())));
    job.executor().instances().ifPresent(n -> a.addAll(List.of("--num-executors", n.toString())));
    job.driver().memoryOverhead().ifPresent(m -> conf(a, "spark.driver.memoryOverhead", m));
    job.executor().memoryOverhead().ifPresent(m -> conf(a, "spark.executor.memoryOverhead", m));
    job.driver().coreRequest().ifPresent(q -> conf(a, "spark.kubernetes.driver.request.cores", q));
    job.driver().coreLimit().ifPresent(q -> conf(a, "spark.kubernetes.driver.limit.cores", q));
    job.executor().coreRequest().ifPresent(q -> conf(a, "spark.kubernetes.executor.request.cores", q));
    job.executor().coreLimit().ifPresent(q -> conf(a, "spark.kubernetes.executor.limit.cores", q));
    if (!job.jars().isEmpty()) {
      a.addAll(List.of("--jars", String.join(",", job.jars())));
    }
    if (!job.files().isEmpty()) {
      a.addAll(List.of("--files", String.join(",", job.files())));
    }
    if (!app.pyFiles().isEmpty()) {
      a.addAll(List.of("--py-files", String.join(",", app.pyFiles())));
    }
    job.proxyUser().ifPresent(u -> a.addAll(List.of("--proxy-user", u)));
    job.dynamicAllocation().ifPresent(da -> {
      conf(a, "spark.dynamicAllocation.enabled", "true");
      conf(a, "spark.dynamicAllocation.shuffleTracking.enabled", Boolean.toString(da.shuffleTracking()));
      da.minExecutors().ifPresent(n -> conf(a, "spark.dynamicAllocation.minExecutors", n.toString()));
      da.initialExecutors().ifPresent(n -> conf(a, "spark.dynamicAllocation.initialExecutors", n.toString()));
      da.maxExecutors().ifPresent(n -> conf(a, "spark.dynamicAllocation.maxExecutors", n.toString()));
      da.executorIdleTimeout().ifPresent(t -> conf(a, "spark.dynamicAllocation.executorIdleTimeout", t));
    });
    job.serviceAccount().ifPresent(s -> conf(a, "spark.kubernetes.authenticate.driver.serviceAccountName", s));
    job.executorServiceAccount().ifPresent(s -> conf(a, "spark.kubernetes.authenticate.executor.serviceAccountName", s));
    both(a, "spark.kubernetes.driver.label.", "spark.kubernetes.executor.label.", job.labels());
    both(a, "spark.kubernetes.driver.annotation.", "spark.kubernetes.executor.annotation.", job.annotations());
    prefixed(a, "spark.kubernetes.node.selector.", job.nodeSelector());
    both(a, "spark.kubernetes.driverEnv.", "spark.executorEnv.", job.env());
    prefixed(a, "spark.kubernetes.driver.label.", job.driver().labels());
    prefixed(a, "spark.kubernetes.executor.label.", job.executor().labels());
    prefixed(a, "spark.kubernetes.driver.annotation.", job.driver().annotations());
    prefixed(a, "spark.kubernetes.executor.annotation.", job.executor().annotations());
    prefixed(a, "spark.kubernetes.driver.node.selector.", job.driver().nodeSelector());
    prefixed(a, "spark.kubernetes.executor.node.selector.", job.executor().nodeSelector());
    prefixed(a, "spark.kubernetes.driverEnv.", job.driver().env());
    prefixed(a, "spark.executorEnv.", job.executor().env());
    job.secretEnv().forEach(e -> roles(e.mountOn(), r -> conf(a,
        "spark.kubernetes." + r + ".secretKeyRef." + e.envName(), e.secretName() + ":" + e.key())));
    job.secretVolumes().forEach(s -> roles(s.mountOn(), r -> conf(a,
        "spark.kubernetes." + r + ".secrets." + s.secretName(), s.mountPath())));
    job.volumes().forEach(v -> roles(v.mountOn(), r -> {
      String base = "spark.kubernetes." + r + ".volumes." + v.type().sparkName() + "." + v.name() + ".";
      conf(a, base + "mount.path", v.mountPath());
      conf(a, base + "mount.readOnly", Boolean.toString(v.readOnly()));
      v.subPath().ifPresent(p -> conf(a, base + "mount.subPath", p));
      v.options().forEach((k, val) -> conf(a, base + "options." + k, val));
    }));
    job.imagePullPolicy().ifPresent(p -> conf(a, "spark.kubernetes.container.image.pullPolicy", p.value()));
    if (!job.imagePullSecrets().isEmpty()) {
      conf(a, "spark.kubernetes.container.image.pullSecrets", String.join(",", job.imagePullSecrets()));
    }
    job.sparkConf().forEach((k, v) -> conf(a, k, v));
    job.gangScheduling().ifPresent(g -> gang(a, job, g, taskGroups));
    a.add(app.resource());
    a.addAll(job.arguments());
    return a;
  }

  /**
   * Spark's guide ("Using Apache YuniKorn as Customized Scheduler") and YuniKorn's ("Gang
   * Scheduling", "Run Spark Jobs"); for Volcano, what Spark's VolcanoFeatureStep would add to the
   * driver and executors, as annotations (the step itself is not in the released jar).
   */
  private static void gang(List<String> a, SparkJob job, GangScheduling g, String taskGroups) {
    conf(a, "spark.kubernetes.scheduler.name", g.schedulerName().orElse(
        g.scheduler() == GangScheduling.Scheduler.VOLCANO ? "volcano" : "yunikorn"));
    if (g.scheduler() == GangScheduling.Scheduler.VOLCANO) {
      String group = job.appId().orElseThrow() + "-podgroup";
      conf(a, "spark.kubernetes.driver.annotation.scheduling.k8s.io/group-name", group);
      conf(a, "spark.kubernetes.executor.annotation.scheduling.k8s.io/group-name", group);
      return;
    }
    g.queue().ifPresent(q -> {
      conf(a, "spark.kubernetes.driver.label.queue", q);
      conf(a, "spark.kubernetes.executor.label.queue", q);
    });
    conf(a, "spark.kubernetes.driver.annotation.yunikorn.apache.org/app-id", "{{APP_ID}}");
    conf(a, "spark.kubernetes.executor.annotation.yunikorn.apache.org/app-id", "{{APP_ID}}");
    conf(a, "spark.kubernetes.driver.annotation.yunikorn.apache.org/task-group-name", "spark-driver");
    if (taskGroups.contains("\"spark-executor\"")) {
      conf(a, "spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name",
          "spark-executor");
    }
    conf(a, "spark.kubernetes.driver.annotation.yunikorn.apache.org/task-groups", taskGroups);
    List<String> params = new ArrayList<>();
    g.placeholderTimeout().ifPresent(t -> params.add("placeholderTimeoutInSeconds=" + t.toSeconds()));
    g.style().ifPresent(st -> params.add("gangSchedulingStyle=" + (st == GangScheduling.Style.HARD
        ? "Hard" : "Soft")));
    if (!params.isEmpty()) {
      conf(a, "spark.kubernetes.driver.annotation.yunikorn.apache.org/schedulingPolicyParameters",
          String.join(" ", params));
    }
  }

  private static void conf(List<String> a, String k, String v) {
    a.add("--conf");
    a.add(k + "=" + v);
  }

  private static void prefixed(List<String> a, String prefix, Map<String, String> m) {
    m.forEach((k, v) -> conf(a, prefix + k, v));
  }

  private static void both(List<String> a, String p1, String p2, Map<String, String> m) {
    prefixed(a, p1, m);
    prefixed(a, p2, m);
  }

  private static void roles(MountOn on, java.util.function.Consumer<String> r) {
    if (on.driver()) {
      r.accept("driver");
    }
    if (on.executors()) {
      r.accept("executor");
    }
  }
}
