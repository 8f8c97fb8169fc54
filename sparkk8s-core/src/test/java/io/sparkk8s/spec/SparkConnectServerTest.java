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

  @Test
  void anIdleTimeoutIsAnAnnotationOnTheDriverPodOnly() {
    SparkConnectServer connect = SparkConnectServer.builder().name("connect")
        .idleTimeout(java.time.Duration.ofMinutes(15)).build();
    CompiledJob compiled = SparkCompiler.compile(connect.job());
    assertThat(compiled.driverPod().getMetadata().getAnnotations())
        .containsEntry(SparkConnectServer.IDLE_TIMEOUT_ANNOTATION, "PT15M");
    assertThat(compiled.sparkProperties()).doesNotContainKey(
        "spark.kubernetes.executor.annotation." + SparkConnectServer.IDLE_TIMEOUT_ANNOTATION);
    // Without one, nothing is written: the server runs until killed.
    assertThat(SparkCompiler.compile(connect.withIdleTimeout(java.time.Duration.ofMinutes(1))
        .job()).driverPod().getMetadata().getAnnotations())
        .containsEntry(SparkConnectServer.IDLE_TIMEOUT_ANNOTATION, "PT1M");
    assertThat(SparkCompiler.compile(SparkConnectServer.builder().name("connect").build().job())
        .driverPod().getMetadata().getAnnotations())
        .doesNotContainKey(SparkConnectServer.IDLE_TIMEOUT_ANNOTATION);
  }
}
