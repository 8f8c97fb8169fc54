package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.SparkJob;
import org.junit.jupiter.api.Test;

/**
 * Volcano gang scheduling against the semantics of Spark's {@code VolcanoFeatureStep} (its source:
 * the step is not in the released jar, so the conformance oracle cannot run it): a PodGroup
 * {@code <appId>-podgroup} in the job's namespace created before the driver, carrying the driver's
 * priority class, and {@code scheduling.k8s.io/group-name} on driver and executors.
 */
class VolcanoPodGroupStepTest {
  final VolcanoPodGroupStep step = new VolcanoPodGroupStep();

  static SparkJob.Builder volcano(GangScheduling g) {
    return Jobs.pi().gangScheduling(g);
  }

  @Test
  void podGroupIsNamedAfterTheAppIdAndCreatedBeforeTheDriver() {
    SparkJob job = volcano(GangScheduling.volcano()).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    assertThat(compiled.preResources()).singleElement().isInstanceOfSatisfying(
        VolcanoPodGroup.class, pg -> {
          assertThat(pg.getApiVersion()).isEqualTo("scheduling.volcano.sh/v1beta1");
          assertThat(pg.getKind()).isEqualTo("PodGroup");
          assertThat(pg.getMetadata().getName()).isEqualTo(compiled.appId() + "-podgroup");
          assertThat(pg.getMetadata().getNamespace()).isEqualTo("jobs");
          assertThat(pg.getMetadata().getLabels()).containsEntry("spark-app-selector", compiled.appId());
        });
    assertThat(compiled.objects().get(0)).isInstanceOf(VolcanoPodGroup.class);
    assertThat(compiled.objects().get(1)).isEqualTo(compiled.driverPod());
    assertThat(compiled.ownedResources()).noneMatch(VolcanoPodGroup.class::isInstance);
  }

  @Test
  void driverAndExecutorsJoinTheGroupAndAreScheduledByVolcano() {
    CompiledJob compiled = SparkCompiler.compile(volcano(GangScheduling.volcano()).build());
    String group = compiled.appId() + "-podgroup";
    assertThat(compiled.driverPod().getMetadata().getAnnotations())
        .containsEntry("scheduling.k8s.io/group-name", group);
    assertThat(compiled.driverPod().getSpec().getSchedulerName()).isEqualTo("volcano");
    assertThat(compiled.sparkProperties())
        .containsEntry("spark.kubernetes.executor.annotation.scheduling.k8s.io/group-name", group)
        .containsEntry("spark.kubernetes.scheduler.name", "volcano");
  }

  @Test
  void minMemberAndMinResourcesCoverTheDriverAndTheGangsExecutors() {
    // Driver: 2 cores, 2g + max(0.1 * 2048, 384) = 2432Mi. Executors: 500m, 4g + 409 = 4505Mi.
    SparkJob job = volcano(GangScheduling.volcano().withQueue("batch"))
        .driver(Driver.builder().cores(2).memory("2g").build())
        .executor(Executor.builder().instances(3).coreRequest("500m").memory("4g").build())
        .priorityClassName("batch-high").build();
    var pg = (VolcanoPodGroup) step.preResources(DriverContext.of(job)).get(0);
    assertThat(pg.getSpec().getMinMember()).isEqualTo(4);
    assertThat(pg.getSpec().getQueue()).isEqualTo("batch");
    assertThat(pg.getSpec().getPriorityClassName()).isEqualTo("batch-high");
    assertThat(pg.getSpec().getMinResources().get("cpu")).isEqualTo(new Quantity("3500m"));
    assertThat(pg.getSpec().getMinResources().get("memory"))
        .isEqualTo(new Quantity((2432 + 3 * 4505) + "Mi"));
    // ... and the driver's part is exactly what the driver pod requests.
    var requests = SparkCompiler.compile(job).driverPod().getSpec().getContainers().get(0)
        .getResources().getRequests();
    assertThat(requests.get("memory")).isEqualTo(new Quantity("2432Mi"));
    assertThat(requests.get("cpu")).isEqualTo(new Quantity("2"));
  }

  @Test
  void aGangMinimumBelowTheInstancesWaitsOnlyForThatMany() {
    SparkJob job = volcano(GangScheduling.volcano().withMinExecutors(1))
        .executor(Executor.builder().instances(10).build()).build();
    var pg = (VolcanoPodGroup) step.preResources(DriverContext.of(job)).get(0);
    assertThat(pg.getSpec().getMinMember()).isEqualTo(2);
    assertThat(pg.getSpec().getMinResources().get("memory")).isEqualTo(new Quantity((2 * 1408) + "Mi"));
  }

  @Test
  void withDynamicAllocationTheGangIsTheMinimumExecutors() {
    SparkJob job = volcano(GangScheduling.volcano())
        .dynamicAllocation(DynamicAllocation.between(2, 20)).build();
    var pg = (VolcanoPodGroup) step.preResources(DriverContext.of(job)).get(0);
    assertThat(pg.getSpec().getMinMember()).isEqualTo(3);
  }

  @Test
  void otherJobsGetNoPodGroupNorAnnotation() {
    var ctx = DriverContext.of(Jobs.pi().build());
    assertThat(step.preResources(ctx)).isEmpty();
    assertThat(step.systemProperties(ctx)).isEmpty();
    assertThat(step.configurePod(SparkPod.initial(), ctx).pod().getMetadata().getAnnotations())
        .isNullOrEmpty();
    var yunikorn = DriverContext.of(Jobs.pi().gangScheduling(GangScheduling.yunikorn()).build());
    assertThat(step.preResources(yunikorn)).isEmpty();
  }

  @Test
  void serializesAsVolcanosPodGroupWithoutEmptyFields() {
    SparkJob job = volcano(GangScheduling.volcano()).build();
    var pg = SparkCompiler.compile(job).preResources().get(0);
    var json = Manifests.pruned(pg);
    assertThat(json.getAsJsonObject("spec").keySet()).containsExactlyInAnyOrder("minMember", "minResources");
    assertThat(json.getAsJsonObject("spec").getAsJsonObject("minResources").get("memory").getAsString())
        .isEqualTo((3 * 1408) + "Mi");
    VolcanoPodGroup back = JSON.deserialize(json.toString(), VolcanoPodGroup.class);
    assertThat((Object) back).isEqualTo(pg);
    String yaml = SparkCompiler.compile(job).toYaml();
    assertThat(yaml.substring(yaml.indexOf("\napiVersion") + 1)).startsWith(
        "apiVersion: scheduling.volcano.sh/v1beta1\nkind: PodGroup\n");
    // After kubectl apply, the driver becomes the PodGroup's owner too.
    assertThat(ApplyManifest.ownershipScript(yaml)).contains(" podgroup.scheduling.volcano.sh/");
  }

  @Test
  void labelsOnlyYuniKornReadsAreLeftAloneWithVolcano() {
    SparkJob job = volcano(GangScheduling.volcano()).putLabel("queue", "ours")
        .putAnnotation("yunikorn.apache.org/app-id", "unrelated").build();
    assertThat(SparkCompiler.compile(job).driverPod().getMetadata().getLabels())
        .containsEntry("queue", "ours");
  }

  @Test
  void anotherSchedulerNameIsUsedForThePods() {
    CompiledJob compiled = SparkCompiler.compile(
        volcano(GangScheduling.volcano().withSchedulerName("volcano-batch")).build());
    assertThat(compiled.driverPod().getSpec().getSchedulerName()).isEqualTo("volcano-batch");
    assertThat(compiled.sparkProperties()).containsEntry("spark.kubernetes.scheduler.name", "volcano-batch");
  }
}
