package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.ShuffleService;
import io.sparkk8s.spec.SparkPlatform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pods the deployer dry-runs before a shuffle service's workloads are applied. */
class PreflightPodTest {
  static List<KubernetesObject> objects(ShuffleService s) {
    return PlatformCompiler.compile(SparkPlatform.builder().name("team").namespace("data")
        .shuffleService(s).build()).applied();
  }

  @Test
  void aStatefulSetsPodGetsItsClaimVolumesAsTheControllerNamesThemAndTheObjectIsUntouched() {
    V1StatefulSet workers = objects(CelebornShuffle.builder().workerDisks(2).build()).stream()
        .filter(o -> o instanceof V1StatefulSet && o.getMetadata().getName().equals("team-celeborn-worker"))
        .map(V1StatefulSet.class::cast).findFirst().orElseThrow();
    String before = Yaml.dump(workers);

    V1Pod pod = PlatformDeployer.preflightPod(workers, "data", "team-celeborn-worker-preflight");

    assertThat(pod.getMetadata().getNamespace()).isEqualTo("data");
    assertThat(pod.getMetadata().getLabels()).isEqualTo(workers.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName() + ":"
            + (v.getPersistentVolumeClaim() == null ? "-" : v.getPersistentVolumeClaim().getClaimName()))
        .containsExactly("celeborn-conf:-", "disk0:disk0-team-celeborn-worker-0",
            "disk1:disk1-team-celeborn-worker-0");
    // Every volume a container mounts exists in the pod, or the dry run fails validation.
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .allSatisfy(m -> assertThat(pod.getSpec().getVolumes()).anyMatch(v -> v.getName().equals(m.getName())));
    assertThat(Yaml.dump(workers)).isEqualTo(before);
  }

  @Test
  void aDaemonSetsPodIsItsTemplateAndOtherKindsHaveNone() {
    List<KubernetesObject> objects = objects(
        HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle"));
    V1DaemonSet ds = (V1DaemonSet) objects.get(0);

    V1Pod pod = PlatformDeployer.preflightPod(ds, "data", "x");

    assertThat(pod.getSpec()).isEqualTo(ds.getSpec().getTemplate().getSpec());
    assertThat(PlatformDeployer.preflightPod(new V1ConfigMap(), "data", "x")).isNull();
  }
}
