package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.conf.PodResources;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.GangConf;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * YuniKorn gang scheduling as Spark conf, with the keys of Spark's "Running on Kubernetes" guide
 * and YuniKorn's "Gang Scheduling" guide. (That Spark turns this conf into the same pods is
 * {@code SparkSubmitConformanceTest}'s part.)
 */
class GangConfTest {
  static JsonArray taskGroups(CompiledJob compiled) {
    return JsonParser.parseString(compiled.driverPod().getMetadata().getAnnotations()
        .get("yunikorn.apache.org/task-groups")).getAsJsonArray();
  }

  static JsonObject group(JsonArray groups, String name) {
    for (var g : groups) {
      if (g.getAsJsonObject().get("name").getAsString().equals(name)) {
        return g.getAsJsonObject();
      }
    }
    throw new AssertionError("no task group " + name + " in " + groups);
  }

  @Test
  void yunikornConfIsWhatSparksGuideAsks() {
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn().withQueue("root.spark")).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    assertThat(compiled.sparkProperties())
        .containsEntry("spark.kubernetes.scheduler.name", "yunikorn")
        .containsEntry("spark.kubernetes.driver.label.queue", "root.spark")
        .containsEntry("spark.kubernetes.executor.label.queue", "root.spark")
        .containsEntry("spark.kubernetes.driver.annotation.yunikorn.apache.org/app-id", "{{APP_ID}}")
        .containsEntry("spark.kubernetes.executor.annotation.yunikorn.apache.org/app-id", "{{APP_ID}}")
        .containsEntry("spark.kubernetes.driver.annotation.yunikorn.apache.org/task-group-name", "spark-driver")
        .containsEntry("spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name",
            "spark-executor")
        .doesNotContainKey("spark.kubernetes.driver.annotation.yunikorn.apache.org/schedulingPolicyParameters");
    var driver = compiled.driverPod();
    assertThat(driver.getSpec().getSchedulerName()).isEqualTo("yunikorn");
    assertThat(driver.getMetadata().getLabels()).containsEntry("queue", "root.spark");
    // Spark substitutes {{APP_ID}} in the driver's annotations; the SDK's compiler does the same.
    assertThat(driver.getMetadata().getAnnotations())
        .containsEntry("yunikorn.apache.org/app-id", compiled.appId())
        .containsEntry("yunikorn.apache.org/task-group-name", "spark-driver");
    assertThat(compiled.preResources()).isEmpty();
  }

  @Test
  void taskGroupsReserveWhatTheDriverAndEachExecutorRequest() {
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn())
        .driver(Driver.builder().coreRequest("750m").memory("3g").build())
        .executor(Executor.builder().instances(4).cores(2).memory("8g").memoryOverhead("1g").build())
        .build();
    CompiledJob compiled = SparkCompiler.compile(job);
    JsonArray groups = taskGroups(compiled);
    assertThat(groups).hasSize(2);
    JsonObject driver = group(groups, "spark-driver");
    assertThat(driver.get("minMember").getAsInt()).isEqualTo(1);
    var requests = compiled.driverPod().getSpec().getContainers().get(0).getResources().getRequests();
    assertThat(new Quantity(driver.getAsJsonObject("minResource").get("cpu").getAsString()))
        .isEqualTo(requests.get("cpu"));
    assertThat(new Quantity(driver.getAsJsonObject("minResource").get("memory").getAsString()))
        .isEqualTo(requests.get("memory"));
    JsonObject executor = group(groups, "spark-executor");
    assertThat(executor.get("minMember").getAsInt()).isEqualTo(4);
    assertThat(executor.getAsJsonObject("minResource").get("cpu").getAsString()).isEqualTo("2");
    assertThat(executor.getAsJsonObject("minResource").get("memory").getAsString())
        .isEqualTo((8192 + 1024) + "Mi");
  }

  @Test
  void executorMemoryFollowsSparksResourceProfile() {
    Map<String, String> base = Map.of();
    assertThat(PodResources.executorMemoryMib(base, false)).isEqualTo(1024 + 384);
    assertThat(PodResources.executorMemoryMib(Map.of("spark.executor.memory", "4g"), false))
        .isEqualTo(4096 + 409);
    // A Python application's executors get 0.4 unless a factor is set, as its driver passes on.
    assertThat(PodResources.executorMemoryMib(Map.of("spark.executor.memory", "2g"), true))
        .isEqualTo(2048 + 819);
    assertThat(PodResources.executorMemoryMib(Map.of("spark.executor.memory", "2g",
        "spark.executor.memoryOverheadFactor", "0.25"), true)).isEqualTo(2048 + 512);
    assertThat(PodResources.executorMemoryMib(Map.of("spark.executor.pyspark.memory", "512m"), true))
        .isEqualTo(1024 + 409 + 512);
    assertThat(PodResources.executorMemoryMib(Map.of("spark.memory.offHeap.enabled", "true",
        "spark.memory.offHeap.size", "2g"), false)).isEqualTo(1024 + 384 + 2048);
    assertThat(PodResources.executorMemoryMib(Map.of("spark.executor.minMemoryOverhead", "500m"),
        false)).isEqualTo(1024 + 500);
  }

  @Test
  void taskGroupsCarryTheNodeSelectorsAndTolerationsOfThePods() {
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn())
        .putNodeSelector("pool", "spark")
        .driver(Driver.builder().putNodeSelector("disk", "ssd").build())
        .executor(Executor.builder().putNodeSelector("gpu", "none").build())
        .addToleration(Toleration.equal("dedicated", "spark", "NoSchedule")).build();
    JsonArray groups = taskGroups(SparkCompiler.compile(job));
    assertThat(group(groups, "spark-driver").getAsJsonObject("nodeSelector").toString())
        .isEqualTo("{\"disk\":\"ssd\",\"pool\":\"spark\"}");
    assertThat(group(groups, "spark-executor").getAsJsonObject("nodeSelector").toString())
        .isEqualTo("{\"gpu\":\"none\",\"pool\":\"spark\"}");
    assertThat(group(groups, "spark-executor").getAsJsonArray("tolerations").toString())
        .isEqualTo("[{\"effect\":\"NoSchedule\",\"key\":\"dedicated\",\"operator\":\"Equal\","
            + "\"value\":\"spark\"}]");
  }

  /** A task group's tolerations are written as the pods' own are: the same JSON, field for field. */
  @Test
  void taskGroupTolerationsAreTheJsonOfThePodsTolerations() {
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn())
        .addToleration(Toleration.equal("dedicated", "spark", "NoSchedule"))
        .addToleration(Toleration.exists("gpu"))
        .addToleration(Toleration.builder().operator("Exists").build())
        .addToleration(Toleration.builder().key("node.kubernetes.io/unreachable").operator("Exists")
            .effect("NoExecute").tolerationSeconds(30L).build()).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    JsonArray podTolerations = new JsonArray();
    compiled.driverPod().getSpec().getTolerations()
        .forEach(t -> podTolerations.add(Manifests.pruned(t)));
    assertThat(podTolerations).hasSize(4);
    assertThat(group(taskGroups(compiled), "spark-driver").getAsJsonArray("tolerations"))
        .isEqualTo(podTolerations);
  }

  @Test
  void timeoutAndStyleBecomeSchedulingPolicyParameters() {
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn()
        .withPlaceholderTimeout(Duration.ofMinutes(2)).withStyle(GangScheduling.Style.HARD)).build();
    assertThat(SparkCompiler.compile(job).driverPod().getMetadata().getAnnotations())
        .containsEntry("yunikorn.apache.org/schedulingPolicyParameters",
            "placeholderTimeoutInSeconds=120 gangSchedulingStyle=Hard");
    SparkJob styleOnly = Jobs.pi().gangScheduling(GangScheduling.yunikorn()
        .withStyle(GangScheduling.Style.SOFT)).build();
    assertThat(SparkCompiler.compile(styleOnly).driverPod().getMetadata().getAnnotations())
        .containsEntry("yunikorn.apache.org/schedulingPolicyParameters", "gangSchedulingStyle=Soft");
  }

  @Test
  void aGangOfNoExecutorsHasOnlyTheDriverGroup() {
    // Dynamic allocation from zero: YuniKorn reserves the driver only; executors come one by one.
    SparkJob job = Jobs.pi().gangScheduling(GangScheduling.yunikorn())
        .dynamicAllocation(DynamicAllocation.between(0, 10)).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    assertThat(taskGroups(compiled)).singleElement()
        .satisfies(g -> assertThat(g.getAsJsonObject().get("name").getAsString()).isEqualTo("spark-driver"));
    assertThat(compiled.sparkProperties())
        .doesNotContainKey("spark.kubernetes.executor.annotation.yunikorn.apache.org/task-group-name");
  }

  @Test
  void minimumDefaultsToTheInstancesOrDynamicAllocationsMinimum() {
    assertThat(GangConf.minExecutors(Jobs.pi().gangScheduling(GangScheduling.volcano()).build()))
        .isEqualTo(2);
    assertThat(GangConf.minExecutors(Jobs.pi().gangScheduling(GangScheduling.volcano())
        .executor(Executor.builder().instances(7).build()).build())).isEqualTo(7);
    assertThat(GangConf.minExecutors(Jobs.pi().gangScheduling(GangScheduling.volcano())
        .dynamicAllocation(DynamicAllocation.between(3, 9)).build())).isEqualTo(3);
    assertThat(GangConf.minExecutors(Jobs.pi().gangScheduling(GangScheduling.volcano().withMinExecutors(5))
        .dynamicAllocation(DynamicAllocation.between(3, 9)).build())).isEqualTo(5);
  }

  @Test
  void theSitePagesFiguresAreWhatTheCompilerWrites() {
    // src/site/markdown/gang-scheduling.md shows these objects for its example.
    SparkJob etl = Jobs.pi().executor(Executor.builder().instances(8).cores(2).memory("4g").build())
        .gangScheduling(GangScheduling.yunikorn().withQueue("root.spark").withMinExecutors(4)
            .withPlaceholderTimeout(Duration.ofMinutes(5)).withStyle(GangScheduling.Style.HARD))
        .build();
    assertThat(SparkCompiler.compile(etl).sparkProperties())
        .containsEntry("spark.kubernetes.driver.annotation.yunikorn.apache.org/task-groups",
            "[{\"name\":\"spark-driver\",\"minMember\":1,\"minResource\":{\"cpu\":\"1\","
                + "\"memory\":\"1408Mi\"}},{\"name\":\"spark-executor\",\"minMember\":4,"
                + "\"minResource\":{\"cpu\":\"2\",\"memory\":\"4505Mi\"}}]")
        .containsEntry("spark.kubernetes.driver.annotation.yunikorn.apache.org/schedulingPolicyParameters",
            "placeholderTimeoutInSeconds=300 gangSchedulingStyle=Hard");
    SparkJob batch = etl.withGangScheduling(
        GangScheduling.volcano().withQueue("batch").withMinExecutors(4));
    var pg = (VolcanoPodGroup) SparkCompiler.compile(batch).preResources().get(0);
    assertThat(pg.getSpec().getMinMember()).isEqualTo(5);
    assertThat(pg.getSpec().getMinResources()).containsEntry("cpu", new Quantity("9"))
        .containsEntry("memory", new Quantity("19428Mi"));
  }

  @Test
  void pythonDriverGroupUsesTheNonJvmOverhead() {
    SparkJob job = Jobs.pi().application(Application.python("local:///opt/app.py"))
        .gangScheduling(GangScheduling.yunikorn()).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    assertThat(group(taskGroups(compiled), "spark-driver").getAsJsonObject("minResource")
        .get("memory").getAsString()).isEqualTo((1024 + 409) + "Mi");
    assertThat(group(taskGroups(compiled), "spark-executor").getAsJsonObject("minResource")
        .get("memory").getAsString()).isEqualTo((1024 + 409) + "Mi");
  }
}
