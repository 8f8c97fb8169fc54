package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodDefaultsStepTest {
  final PodDefaultsStep step = new PodDefaultsStep();

  @Test
  void restrictedPodSecurityByDefault() {
    var sp = Jobs.apply(step, Jobs.pi().build());
    var pod = sp.pod().getSpec().getSecurityContext();
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isEqualTo(185L);
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = sp.container().getSecurityContext();
    assertThat(c.getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sp.pod().getSpec().getEnableServiceLinks()).isFalse();
  }

  @Test
  void optOutLeavesSecurityContextsToTheImage() {
    var sp = Jobs.apply(step, Jobs.pi().restrictedSecurityContext(false).build());
    assertThat(sp.pod().getSpec().getSecurityContext()).isNull();
    assertThat(sp.container().getSecurityContext()).isNull();
    assertThat(sp.pod().getSpec().getEnableServiceLinks()).isFalse();
  }
}
