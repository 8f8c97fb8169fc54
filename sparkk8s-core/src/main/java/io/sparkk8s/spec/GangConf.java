package io.sparkk8s.spec;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import io.sparkk8s.conf.PodResources;
import io.sparkk8s.validate.Quantities;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@link GangScheduling} adds to a job's Spark conf, the way Spark's "Running on Kubernetes"
 * guide and YuniKorn's "Gang Scheduling" guide configure a gang: the scheduler name for driver and
 * executors and, for YuniKorn, the queue label and the app-id, task-group and policy annotations.
 * Volcano's PodGroup and group annotation come from the compiler's {@code VolcanoPodGroupStep}.
 */
public final class GangConf {
  /** The queue label Spark's guide sets for YuniKorn. */
  static final String QUEUE_LABEL = "queue";
  static final String YUNIKORN_APP_ID = "yunikorn.apache.org/app-id";
  static final String YUNIKORN_QUEUE = "yunikorn.apache.org/queue";
  static final String YUNIKORN_TASK_GROUPS = "yunikorn.apache.org/task-groups";
  static final String YUNIKORN_TASK_GROUP_NAME = "yunikorn.apache.org/task-group-name";
  static final String YUNIKORN_POLICY = "yunikorn.apache.org/schedulingPolicyParameters";
  /** Spark's {@code VolcanoFeatureStep.POD_GROUP_ANNOTATION}. */
  public static final String VOLCANO_GROUP = "scheduling.k8s.io/group-name";

  /**
   * Pod label keys the SDK sets for a YuniKorn gang, or that would give YuniKorn a second,
   * inconsistent queue or application id (YuniKorn 1.7 rejects such pods).
   */
  private static final Set<String> YUNIKORN_LABELS = Set.of(QUEUE_LABEL, YUNIKORN_QUEUE,
      YUNIKORN_APP_ID, "applicationId");
  /** Pod annotation keys the SDK sets for a YuniKorn gang, or that would contradict them. */
  private static final Set<String> YUNIKORN_ANNOTATIONS = Set.of(YUNIKORN_APP_ID, YUNIKORN_QUEUE,
      YUNIKORN_TASK_GROUPS, YUNIKORN_TASK_GROUP_NAME, YUNIKORN_POLICY);

  /** The pod label keys a gang of {@code scheduler} owns: rejected when set by hand. */
  static Set<String> labels(GangScheduling.Scheduler scheduler) {
    return scheduler == GangScheduling.Scheduler.YUNIKORN ? YUNIKORN_LABELS : Set.of();
  }

  /** The pod annotation keys a gang of {@code scheduler} owns: rejected when set by hand. */
  static Set<String> annotations(GangScheduling.Scheduler scheduler) {
    return scheduler == GangScheduling.Scheduler.YUNIKORN ? YUNIKORN_ANNOTATIONS
        : Set.of(VOLCANO_GROUP);
  }

  private GangConf() {}

  /**
   * The executors the gang waits for: the one set, else {@code executor.instances} (Spark's
   * default 2), else with dynamic allocation its {@code minExecutors} (default 0).
   */
  public static int minExecutors(JobDescription job) {
    GangScheduling g = job.gangScheduling().orElseThrow();
    if (g.minExecutors().isPresent()) {
      return g.minExecutors().get();
    }
    if (job.dynamicAllocation().isPresent()) {
      return job.dynamicAllocation().get().minExecutors().orElse(0);
    }
    return job.executor().instances().orElse(2);
  }

  /** The name Spark's {@code VolcanoFeatureStep} gives the PodGroup of application {@code appId}. */
  public static String podGroupName(String appId) {
    return appId + "-podgroup";
  }

  /** Adds the gang's keys to {@code conf}, which holds everything else already. */
  static void put(TreeMap<String, String> conf, JobDescription job) {
    if (job.gangScheduling().isEmpty()) {
      return;
    }
    GangScheduling g = job.gangScheduling().get();
    conf.put("spark.kubernetes.scheduler.name", g.effectiveSchedulerName());
    if (g.scheduler() != GangScheduling.Scheduler.YUNIKORN) {
      return;
    }
    String driver = "spark.kubernetes.driver.annotation.";
    String executor = "spark.kubernetes.executor.annotation.";
    g.queue().ifPresent(q -> {
      conf.put("spark.kubernetes.driver.label." + QUEUE_LABEL, q);
      conf.put("spark.kubernetes.executor.label." + QUEUE_LABEL, q);
    });
    conf.put(driver + YUNIKORN_APP_ID, "{{APP_ID}}");
    conf.put(executor + YUNIKORN_APP_ID, "{{APP_ID}}");
    int executors = minExecutors(job);
    conf.put(driver + YUNIKORN_TASK_GROUP_NAME, GangScheduling.DRIVER_TASK_GROUP);
    if (executors > 0) {
      conf.put(executor + YUNIKORN_TASK_GROUP_NAME, GangScheduling.EXECUTOR_TASK_GROUP);
    }
    conf.put(driver + YUNIKORN_TASK_GROUPS, taskGroups(conf, job, executors).toString());
    StringBuilder params = new StringBuilder();
    g.placeholderTimeout().ifPresent(t -> params.append("placeholderTimeoutInSeconds=")
        .append(t.getSeconds()));
    g.style().ifPresent(s -> params.append(params.length() > 0 ? " " : "")
        .append("gangSchedulingStyle=").append(s.value()));
    if (params.length() > 0) {
      conf.put(driver + YUNIKORN_POLICY, params.toString());
    }
  }

  /**
   * YuniKorn's task groups: the driver's group of one and, when the gang waits for executors,
   * theirs, each with the pod's requests, node selector and tolerations, so the placeholders
   * YuniKorn reserves fit the real pods and land on the same nodes.
   */
  static JsonArray taskGroups(Map<String, String> conf, JobDescription job, int executors) {
    boolean python = job.application().kind() == Application.Kind.PYTHON;
    JsonArray groups = new JsonArray();
    groups.add(taskGroup(GangScheduling.DRIVER_TASK_GROUP, 1, PodResources.cpuRequest(conf, "driver"),
        PodResources.driverMemoryMib(conf, python), nodeSelector(conf, "driver"), job));
    if (executors > 0) {
      groups.add(taskGroup(GangScheduling.EXECUTOR_TASK_GROUP, executors,
          PodResources.cpuRequest(conf, "executor"), PodResources.executorMemoryMib(conf, python),
          nodeSelector(conf, "executor"), job));
    }
    return groups;
  }

  private static JsonObject taskGroup(String name, int minMember, Quantity cpu, long memoryMib,
      Map<String, String> nodeSelector, JobDescription job) {
    JsonObject group = new JsonObject();
    group.addProperty("name", name);
    group.addProperty("minMember", minMember);
    JsonObject resource = new JsonObject();
    resource.addProperty("cpu", cpu.toSuffixedString());
    resource.addProperty("memory", memoryMib + "Mi");
    group.add("minResource", resource);
    if (!nodeSelector.isEmpty()) {
      JsonObject selector = new JsonObject();
      nodeSelector.forEach(selector::addProperty);
      group.add("nodeSelector", selector);
    }
    if (!job.tolerations().isEmpty()) {
      JsonArray tolerations = new JsonArray();
      for (Toleration t : job.tolerations()) {
        // As a pod's toleration is written: fields in the API's order, unset ones left out.
        JsonObject o = new JsonObject();
        t.effect().ifPresent(e -> o.addProperty("effect", e));
        t.key().ifPresent(k -> o.addProperty("key", k));
        o.addProperty("operator", t.operator());
        t.tolerationSeconds().ifPresent(n -> o.addProperty("tolerationSeconds", n));
        t.value().ifPresent(v -> o.addProperty("value", v));
        tolerations.add(o);
      }
      group.add("tolerations", tolerations);
    }
    return group;
  }

  /** The node selector of a {@code role} pod, as Spark merges the job-wide and role keys. */
  static Map<String, String> nodeSelector(Map<String, String> conf, String role) {
    Map<String, String> out = new TreeMap<>();
    for (String prefix : List.of("spark.kubernetes.node.selector.",
        "spark.kubernetes." + role + ".node.selector.")) {
      conf.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          out.put(k.substring(prefix.length()), v);
        }
      });
    }
    return out;
  }

  /**
   * Volcano's {@code minResources}: the driver's requests plus those of the executors the gang
   * waits for, as Spark's guide asks of a PodGroup template.
   */
  public static Map<String, Quantity> minResources(Map<String, String> conf, JobDescription job, int executors) {
    boolean python = job.application().kind() == Application.Kind.PYTHON;
    BigDecimal cpu = PodResources.cpuRequest(conf, "driver").getNumber().add(
        PodResources.cpuRequest(conf, "executor").getNumber().multiply(BigDecimal.valueOf(executors)));
    long memory = PodResources.driverMemoryMib(conf, python)
        + executors * PodResources.executorMemoryMib(conf, python);
    Map<String, Quantity> out = new TreeMap<>();
    out.put("cpu", new Quantity(cpu.stripTrailingZeros(), Quantity.Format.DECIMAL_SI));
    out.put("memory", Quantities.parse(memory + "Mi"));
    return out;
  }
}
