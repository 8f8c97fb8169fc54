package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import org.junit.jupiter.api.Test;

class DriverServiceStepTest {
  final DriverServiceStep step = new DriverServiceStep();

  @Test
  void headlessServiceSelectsTheDriverOnItsPorts() {
    var ctx = DriverContext.of(Jobs.pi().build());
    var svc = (V1Service) step.additionalResources(ctx).get(0);
    assertThat(svc.getMetadata().getName()).isEqualTo(ctx.names().driverServiceName());
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getSelector()).isEqualTo(ctx.driverLabels());
    assertThat(svc.getSpec().getPorts()).extracting(V1ServicePort::getPort)
        .containsExactly(7078, 7079, 4040, 15002);
  }

  @Test
  void driverHostIsTheServiceName() {
    var ctx = DriverContext.of(Jobs.pi().putSparkConf("spark.driver.port", "7000").build());
    assertThat(step.systemProperties(ctx))
        .containsEntry("spark.driver.host", ctx.names().driverServiceName() + ".jobs.svc")
        .containsEntry("spark.driver.port", "7000")
        .containsEntry("spark.driver.blockManager.port", "7079");
  }

  @Test
  void leavesThePodAlone() {
    var sp = SparkPod.initial();
    assertThat(step.configurePod(sp, DriverContext.of(Jobs.pi().build()))).isSameAs(sp);
    assertThat(sp.container().getPorts()).isNullOrEmpty();
  }
}
