package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.PlatformStatus;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.SparkPlatform;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kinds {@code status()} reports are the labels the compilers give their services. */
class ComponentKindsTest {
  @Test
  void everyServiceTheCompilersMakeHasAKindAndEveryKindIsMade() {
    Set<PlatformStatus.Kind> seen = EnumSet.noneOf(PlatformStatus.Kind.class);
    for (SparkPlatform p : List.of(PlatformCompilerTest.platform(), ZeppelinCompileTest.platform(),
        ShuffleCompilerTest.with(CelebornShuffle.of(1, 1)),
        ShuffleCompilerTest.with(
            HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle")))) {
      PlatformCompiler.components(p).forEach(c -> seen.add(PlatformStatus.Kind.ofLabel(c.kind())));
      ShuffleCompiler.components(p).forEach(c -> seen.add(PlatformStatus.Kind.ofLabel(c.kind())));
    }
    assertThat(seen).containsExactlyInAnyOrder(PlatformStatus.Kind.values());
    for (PlatformStatus.Kind k : PlatformStatus.Kind.values()) {
      assertThat(PlatformStatus.Kind.ofLabel(k.label())).isEqualTo(k);
    }
    assertThatThrownBy(() -> PlatformStatus.Kind.ofLabel("kafka"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kafka'");
  }
}
