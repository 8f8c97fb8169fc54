package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1PodSpec;
import io.sparkk8s.spec.Executor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorAccountTest {

  @Test
  void executorsGetNoTokenAndTheNamespacesDefaultAccountNotTheDrivers() {
    V1PodSpec spec = new V1PodSpec();
    ExecutorAccount.apply(spec, Optional.empty(), Executor.defaults());
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getServiceAccountName()).isEqualTo("default");
    // Spark keeps a template's account only when the deprecated field names it.
    assertThat(spec.getServiceAccount()).isEqualTo("default");
  }

  @Test
  void anExecutorAccountIsUsedStillWithoutAToken() {
    V1PodSpec spec = new V1PodSpec();
    ExecutorAccount.apply(spec, Optional.of("spark-exec"), Executor.defaults());
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getServiceAccountName()).isEqualTo("spark-exec");
    assertThat(spec.getServiceAccount()).isEqualTo("spark-exec");
  }

  @Test
  void theOptOutLeavesTokenAndAccountToSpark() {
    V1PodSpec spec = new V1PodSpec();
    ExecutorAccount.apply(spec, Optional.empty(),
        Executor.builder().mountServiceAccountToken(true).build());
    assertThat(spec.getAutomountServiceAccountToken()).isNull();
    assertThat(spec.getServiceAccountName()).isNull();
    assertThat(spec.getServiceAccount()).isNull();
  }
}
