package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.internal.compile.ApplyManifest;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledJobTest {
  static SparkJob pi() {
    return SparkJob.builder().name("spark-pi").namespace("jobs")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .addArgument("100").executor(Executor.builder().instances(2).build()).build();
  }

  /**
   * The public API finds its compiler through META-INF/services, not by importing it (see
   * ArchitectureTest.publicPackagesNeverImportInternal): the one registered provider compiles.
   */
  @Test
  void theCompilerComesFromTheOneRegisteredProvider() {
    assertThat(java.util.ServiceLoader.load(SparkCompiler.Provider.class).stream()
        .map(p -> p.type().getName()))
        .containsExactly("io.sparkk8s.internal.compile.CompilerProvider");
    CompiledJob compiled = SparkCompiler.compile(pi());
    assertThat(compiled.getClass().getPackageName()).isEqualTo("io.sparkk8s.internal.compile");
    assertThat(compiled.driverPodName()).startsWith("spark-pi-").endsWith("-driver");
    assertThat(SparkCompiler.compile(io.sparkk8s.spec.SparkPlatform.builder().name("team").build())
        .getClass().getPackageName())
        .isEqualTo("io.sparkk8s.internal.compile");
  }

  @Test
  void sameJobCompilesToTheSameBytes() {
    assertThat(SparkCompiler.compile(pi()).toYaml()).isEqualTo(SparkCompiler.compile(pi()).toYaml());
  }

  @Test
  void yamlIsAMultiDocumentStreamWithTheDriverAfterWhatItMounts() throws Exception {
    CompiledJob compiled = SparkCompiler.compile(pi());
    List<Object> docs = Yaml.loadAll(compiled.toYaml());
    assertThat(docs).extracting(d -> ((KubernetesObject) d).getKind())
        .containsExactly("Service", "ConfigMap", "ConfigMap", "Pod");
    // The client creates in Spark's order (the pod first, then what it owns); toYaml does not.
    assertThat(compiled.objects()).extracting(KubernetesObject::getKind)
        .containsExactly("Pod", "Service", "ConfigMap", "ConfigMap");
    assertThat(docs).allSatisfy(d -> assertThat(((KubernetesObject) d).getMetadata().getNamespace())
        .isEqualTo("jobs"));
    assertThat(compiled.toYaml()).doesNotContain("{}\n  overhead").doesNotContain("labels: {}")
        .doesNotContain("overhead:").contains("emptyDir: {}");
  }

  @Test
  void propertiesHoldTheWholeSubmitConfAndWhatSparkAdds() {
    CompiledJob compiled = SparkCompiler.compile(pi());
    assertThat(compiled.sparkProperties())
        .containsEntry("spark.executor.instances", "2")
        .containsEntry("spark.submit.deployMode", "cluster")
        .containsEntry("spark.kubernetes.submitInDriver", "true")
        .containsEntry("spark.app.id", compiled.appId())
        .containsEntry("spark.driver.host", compiled.resourcePrefix() + "-driver-svc.jobs.svc");
    String text = compiled.configMap().getData().get("spark.properties");
    assertThat(text).contains("spark.executor.instances=2").doesNotContainPattern("#\\w{3} \\w{3} ");
  }

  @Test
  void accessorsReturnCopies() {
    CompiledJob compiled = SparkCompiler.compile(pi());
    compiled.driverPod().getMetadata().setName("changed");
    assertThat(compiled.driverPod().getMetadata().getName()).isEqualTo(compiled.driverPodName());
  }

  @Test
  void confVolumeMountsTheProperties() {
    var pod = SparkCompiler.compile(pi()).driverPod();
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("spark-conf-volume-driver");
      assertThat(v.getConfigMap().getItems()).singleElement()
          .satisfies(i -> assertThat(i.getKey()).isEqualTo("spark.properties"));
    });
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("SPARK_CONF_DIR"));
  }

  @Test
  void yamlCarriesTheCommandsThatMakeTheDriverTheOwnerOfEveryOtherObject() {
    CompiledJob compiled = SparkCompiler.compile(pi());
    String script = ApplyManifest.ownershipScript(compiled.toYaml());
    assertThat(script).startsWith("uid=$(kubectl -n jobs get pod " + compiled.driverPodName()
        + " -o jsonpath='{.metadata.uid}')\n");
    for (KubernetesObject o : compiled.ownedResources()) {
      assertThat(script).contains(" " + o.getKind().toLowerCase() + "/" + o.getMetadata().getName());
    }
    assertThat(script).contains("\"name\":\"" + compiled.driverPodName() + "\",\"uid\":\"'\"$uid\"'\"");
    // Every command line of the header is in the script; nothing after the first document.
    assertThat(script.lines()).hasSize(4);
  }
}
