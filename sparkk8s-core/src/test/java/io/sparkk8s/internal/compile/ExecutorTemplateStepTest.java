package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.spec.Toleration;
import org.junit.jupiter.api.Test;

class ExecutorTemplateStepTest {
  final ExecutorTemplateStep step = new ExecutorTemplateStep();

  @Test
  void templateCarriesHardeningTolerationsAndPriorityToExecutors() throws Exception {
    var job = Jobs.pi().addToleration(Toleration.exists("spot")).priorityClassName("batch").build();
    var ctx = DriverContext.of(job);
    var cm = (V1ConfigMap) step.additionalResources(ctx).get(0);
    assertThat(cm.getImmutable()).isTrue();
    V1Pod template = Yaml.loadAs(cm.getData().get("podspec-configmap-key"), V1Pod.class);
    assertThat(template.getSpec().getEnableServiceLinks()).isFalse();
    assertThat(template.getSpec().getPriorityClassName()).isEqualTo("batch");
    assertThat(template.getSpec().getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("spot"));
    assertThat(template.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
    assertThat(template.getSpec().getContainers()).singleElement().satisfies(c -> {
      assertThat(c.getName()).isEqualTo("spark-kubernetes-executor");
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    });
  }

  @Test
  void executorsGetNoApiTokenAndNotTheDriversAccount() {
    var job = Jobs.pi().serviceAccount("spark").build();
    V1Pod template = template(job);
    assertThat(template.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("default");
    assertThat(template.getSpec().getServiceAccount()).isEqualTo("default");
  }

  @Test
  void anExecutorThatAsksForTheTokenGetsSparksFallback() {
    var job = Jobs.pi().serviceAccount("spark")
        .executor(io.sparkk8s.spec.Executor.builder().mountServiceAccountToken(true).build()).build();
    V1Pod template = template(job);
    assertThat(template.getSpec().getAutomountServiceAccountToken()).isNull();
    assertThat(template.getSpec().getServiceAccountName()).isNull();
  }

  private V1Pod template(io.sparkk8s.spec.SparkJob job) {
    var cm = (V1ConfigMap) step.additionalResources(DriverContext.of(job)).get(0);
    return Yaml.loadAs(cm.getData().get("podspec-configmap-key"), V1Pod.class);
  }

  @Test
  void mountsTheTemplateIntoTheDriverAndPointsSparkAtIt() {
    var ctx = DriverContext.of(Jobs.pi().build());
    var sp = step.configurePod(SparkPod.initial(), ctx);
    assertThat(sp.pod().getSpec().getVolumes().get(0).getConfigMap().getName())
        .isEqualTo(ctx.names().podTemplateConfigMapName());
    assertThat(sp.container().getVolumeMounts().get(0).getMountPath()).isEqualTo("/opt/spark/pod-template");
    assertThat(step.systemProperties(ctx)).containsEntry("spark.kubernetes.executor.podTemplateFile",
        "/opt/spark/pod-template/pod-spec-template.yml");
  }
}
