package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.JobNames;
import org.junit.jupiter.api.Test;

class BasicDriverStepTest {
  final BasicDriverStep step = new BasicDriverStep();

  @Test
  void namesTheDriverAndLabelsItAsSparkDoes() {
    var job = Jobs.pi().build();
    var sp = Jobs.apply(step, job);
    var names = JobNames.of(job);
    assertThat(sp.pod().getMetadata().getName()).isEqualTo(names.resourcePrefix() + "-driver");
    assertThat(sp.pod().getMetadata().getLabels()).containsEntry("spark-role", "driver")
        .containsEntry("spark-app-selector", names.appId()).containsEntry("spark-app-name", "pi")
        .containsEntry("spark-version", "4.1.1");
    assertThat(sp.pod().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(sp.container().getName()).isEqualTo("spark-kubernetes-driver");
    assertThat(sp.container().getImage()).isEqualTo("apache/spark:4.1.1");
  }

  @Test
  void defaultMemoryIsOneGibPlusTheMinimumOverhead() {
    var res = Jobs.apply(step, Jobs.pi().build()).container().getResources();
    assertThat(res.getRequests()).containsEntry("memory", new Quantity("1408Mi"))
        .containsEntry("cpu", new Quantity("1"));
    assertThat(res.getLimits()).containsEntry("memory", new Quantity("1408Mi")).doesNotContainKey("cpu");
  }

  @Test
  void pythonUsesTheNonJvmOverheadFactor() {
    var job = Jobs.pi().application(Application.python("local:///app/main.py"))
        .driver(Driver.builder().memory("2g").build()).build();
    assertThat(Jobs.apply(step, job).container().getResources().getLimits())
        .containsEntry("memory", new Quantity((2048 + 819) + "Mi"));
    assertThat(step.systemProperties(DriverContext.of(job)))
        .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.4");
  }

  @Test
  void cpuRequestAndLimitComeFromTheDriver() {
    var job = Jobs.pi().driver(Driver.builder().coreRequest("500m").coreLimit("2").build()).build();
    var res = Jobs.apply(step, job).container().getResources();
    assertThat(res.getRequests()).containsEntry("cpu", new Quantity("500m"));
    assertThat(res.getLimits()).containsEntry("cpu", new Quantity("2"));
  }

  @Test
  void spark4AddsTheConnectPortAndSpark35DoesNot() {
    assertThat(Jobs.apply(step, Jobs.pi().build()).container().getPorts())
        .extracting(V1ContainerPort::getName)
        .containsExactly("driver-rpc-port", "blockmanager", "spark-ui", "spark-connect");
    assertThat(Jobs.apply(step, Jobs.pi().sparkVersion("3.5.6").build()).container().getPorts())
        .extracting(V1ContainerPort::getName).containsExactly("driver-rpc-port", "blockmanager", "spark-ui");
  }

  @Test
  void envHasUserAppIdDriverEnvAndBindAddressFromThePodIp() {
    var job = Jobs.pi().driver(Driver.builder().putEnv("X", "1").build()).build();
    var env = Jobs.apply(step, job).container().getEnv();
    assertThat(env).extracting(V1EnvVar::getName)
        .containsExactly("SPARK_USER", "SPARK_APPLICATION_ID", "X", "SPARK_DRIVER_BIND_ADDRESS");
    assertThat(env.get(0).getValue()).isEqualTo("ana");
    assertThat(env.get(3).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
  }

  @Test
  void annotationsSubstituteTheAppId() {
    var job = Jobs.pi().driver(Driver.builder().putAnnotation("a", "id={{APP_ID}}").build()).build();
    assertThat(Jobs.apply(step, job).pod().getMetadata().getAnnotations())
        .containsEntry("a", "id=" + JobNames.of(job).appId());
  }

  @Test
  void addsTheDriverPropertiesSparkNeeds() {
    var job = Jobs.pi().build();
    assertThat(step.systemProperties(DriverContext.of(job)))
        .containsEntry("spark.kubernetes.submitInDriver", "true")
        .containsEntry("spark.app.id", JobNames.of(job).appId())
        .containsEntry("spark.kubernetes.driver.pod.name", JobNames.of(job).driverPodName());
  }
}
