package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.common.KubernetesObject;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.SparkPlatform;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kinds {@code status()} reports are those the compilers give their services, and each
 * service's workload carries its kind's label.
 */
class ComponentKindsTest {
  @Test
  void everyServiceTheCompilersMakeHasAKindAndEveryKindIsMade() {
    Set<PlatformStatus.Kind> seen = EnumSet.noneOf(PlatformStatus.Kind.class);
    for (SparkPlatform p : List.of(PlatformCompilerTest.platform(), ZeppelinCompileTest.platform(),
        ShuffleCompilerTest.with(CelebornShuffle.of(1, 1)),
        ShuffleCompilerTest.with(
            HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle")))) {
      List<KubernetesObject> applied = PlatformCompiler.compile(p).applied();
      for (PlatformCompiler.Component c : PlatformCompiler.components(p)) {
        seen.add(c.kind());
        assertThat(labelValues(applied, c.deployment())).contains(c.kind().label());
      }
      for (ShuffleCompiler.Component c : ShuffleCompiler.components(p)) {
        seen.add(c.kind());
        assertThat(labelValues(applied, c.workload())).contains(c.kind().label());
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(PlatformStatus.Kind.values());
    for (PlatformStatus.Kind k : PlatformStatus.Kind.values()) {
      assertThat(PlatformStatus.Kind.ofLabel(k.label())).isEqualTo(k);
    }
    assertThatThrownBy(() -> PlatformStatus.Kind.ofLabel("kafka"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kafka'");
  }

  /** The label values of the workload (StatefulSet, Deployment or DaemonSet) named {@code name}. */
  private static Collection<String> labelValues(List<KubernetesObject> objects, String name) {
    return objects.stream().filter(o -> o.getMetadata().getName().equals(name)
            && Set.of("StatefulSet", "Deployment", "DaemonSet").contains(o.getKind()))
        .findFirst().orElseThrow(() -> new AssertionError("no workload " + name))
        .getMetadata().getLabels().values();
  }
}
