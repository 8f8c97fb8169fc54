package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.PatchOptions;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.it.ClusterConnection;
import io.sparkk8s.it.RealCluster;
import io.sparkk8s.it.TestNamespace;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.SparkPlatform;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The race a deploy used to lose, played in order against the API server: the deploy reads an
 * object, other writers change it (the StatefulSet controller its status, someone a label), then
 * the deploy's apply changes nothing of its own. The version moved; the verdict must not.
 */
@RealCluster
class AppliedFieldsE2E {

  @Test
  void anApplyThatChangesNothingOfOursIsUnchangedWhateverOtherWritersDidSinceTheRead(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    DynamicKubernetesApi sets = new DynamicKubernetesApi("apps", "v1", "statefulsets", client);
    SparkPlatform platform = SparkPlatform.builder().name("team").namespace(ns.name())
        .shuffleService(CelebornShuffle.builder().masterReplicas(1).workerReplicas(1).build()).build();
    V1StatefulSet master = PlatformCompiler.compile(platform).applied().stream()
        .filter(o -> o instanceof V1StatefulSet).map(V1StatefulSet.class::cast).findFirst().orElseThrow();
    String name = master.getMetadata().getName();

    DynamicKubernetesObject created = apply(sets, master, PlatformDeployer.FIELD_MANAGER);
    DynamicKubernetesObject read = sets.get(ns.name(), name).throwsApiException().getObject();
    await().atMost(Duration.ofSeconds(30)).until(() -> sets.get(ns.name(), name).throwsApiException()
        .getObject().getRaw().getAsJsonObject("status").has("observedGeneration"));
    String label = "{\"metadata\":{\"labels\":{\"someone-else\":\"was-here\"}}}";
    PatchOptions other = new PatchOptions();
    other.setFieldManager("someone-else");
    sets.patch(ns.name(), name, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, new V1Patch(label), other)
        .throwsApiException();

    DynamicKubernetesObject again = apply(sets, master, PlatformDeployer.FIELD_MANAGER);
    assertThat(again.getMetadata().getResourceVersion())
        .as("other writers moved the version").isNotEqualTo(read.getMetadata().getResourceVersion());
    assertThat(AppliedFields.changed(read.getRaw(), again.getRaw(), PlatformDeployer.FIELD_MANAGER))
        .as("read at %s, applied at %s", read.getMetadata().getResourceVersion(),
            again.getMetadata().getResourceVersion()).isFalse();
    assertThat(AppliedFields.changed(created.getRaw(), read.getRaw(), PlatformDeployer.FIELD_MANAGER)).isFalse();

    master.getSpec().setReplicas(2);
    DynamicKubernetesObject bigger = apply(sets, master, PlatformDeployer.FIELD_MANAGER);
    assertThat(AppliedFields.changed(again.getRaw(), bigger.getRaw(), PlatformDeployer.FIELD_MANAGER)).isTrue();
    System.out.printf("[E2E] an apply after the controller's status and another manager's label:"
        + " version %s -> %s, unchanged; replicas 1 -> 2: changed%n",
        read.getMetadata().getResourceVersion(), again.getMetadata().getResourceVersion());
  }

  private static DynamicKubernetesObject apply(DynamicKubernetesApi api, KubernetesObject o,
      String manager) throws Exception {
    PatchOptions options = new PatchOptions();
    options.setFieldManager(manager);
    options.setForce(true);
    return api.patch(o.getMetadata().getNamespace(), o.getMetadata().getName(),
        V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(Manifests.pruned(o).toString()), options)
        .throwsApiException().getObject();
  }
}
