package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import org.junit.jupiter.api.Test;

class SparkConnectServerTest {
  @Test
  void isAJobRunningSparksConnectServerReachedThroughTheDriverService() {
    SparkConnectServer connect = SparkConnectServer.builder().name("connect").namespace("data")
        .serviceAccount("spark").dynamicAllocation(DynamicAllocation.between(0, 8)).build();

    SparkJob job = connect.job();
    CompiledJob compiled = SparkCompiler.compile(job);
    String svc = compiled.driverService().getMetadata().getName();

    assertThat(job.application().mainClass()).contains(SparkConnectServer.MAIN_CLASS);
    assertThat(job.application().resource())
        .isEqualTo("local:///opt/spark/jars/spark-connect_2.13-4.1.1.jar");
    assertThat(compiled.sparkProperties()).containsEntry("spark.connect.grpc.binding.port", "15002")
        .containsEntry("spark.dynamicAllocation.enabled", "true");
    assertThat(compiled.driverService().getSpec().getPorts())
        .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(15002));
    assertThat(connect.endpoint()).isEqualTo("sc://" + svc + ".data.svc:15002");
    assertThat(connect.endpoint()).isEqualTo(connect.endpoint()); // deterministic
  }
}
