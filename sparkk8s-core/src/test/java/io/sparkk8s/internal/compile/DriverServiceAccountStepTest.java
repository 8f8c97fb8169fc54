package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriverServiceAccountStepTest {
  @Test
  void setsTheDriverServiceAccountWhenGiven() {
    var spec = Jobs.apply(new DriverServiceAccountStep(), Jobs.pi().serviceAccount("spark").build())
        .pod().getSpec();
    assertThat(spec.getServiceAccountName()).isEqualTo("spark");
    assertThat(spec.getServiceAccount()).isEqualTo("spark");
  }

  @Test
  void leavesTheNamespaceDefaultOtherwise() {
    assertThat(Jobs.apply(new DriverServiceAccountStep(), Jobs.pi().build()).pod().getSpec()
        .getServiceAccountName()).isNull();
  }
}
