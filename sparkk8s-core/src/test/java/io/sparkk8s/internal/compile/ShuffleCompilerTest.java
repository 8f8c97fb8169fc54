package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformCompilerTest.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.ShuffleService;
import io.sparkk8s.spec.ShuffleTracking;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ShuffleCompilerTest {
  static SparkPlatform with(ShuffleService s) {
    return SparkPlatform.builder().name("team").namespace("data").shuffleService(s)
        .addNotebook(NotebookEnvironment.jupyter("lab")
            .withDynamicAllocation(DynamicAllocation.between(0, 4)))
        .build();
  }

  static List<KubernetesObject> shuffleObjects(SparkPlatform p) {
    List<KubernetesObject> out = new java.util.ArrayList<>();
    ShuffleCompiler.compile(p, out);
    return out;
  }

  static Properties properties(String text) throws Exception {
    Properties props = new Properties();
    props.load(new StringReader(text));
    return props;
  }

  /** The fields of the restricted Pod Security level, pod and every container. */
  static void assertRestricted(V1PodSpec pod, String what) {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(what).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(what).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).as(what).isNull();
    assertThat(pod.getVolumes()).as(what).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    for (V1Container c : pod.getContainers()) {
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(what).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(what).containsExactly("ALL");
      assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(what).isNullOrEmpty();
      assertThat(c.getSecurityContext().getPrivileged()).as(what).isNull();
    }
  }

  @Test
  void trackingDeploysNothingAndIsConfOnly() throws Exception {
    SparkPlatform p = with(ShuffleTracking.defaults().withTimeout("30min"));

    assertThat(shuffleObjects(p)).isEmpty();
    assertThat(ShuffleCompiler.components(p)).isEmpty();
    assertThat(p.shuffleConf("3.5.6")).containsExactly(
        Map.entry("spark.dynamicAllocation.shuffleTracking.enabled", "true"),
        Map.entry("spark.dynamicAllocation.shuffleTracking.timeout", "30min"));
    V1ConfigMap conf = find(PlatformCompiler.compile(p).applied(), V1ConfigMap.class, "team-lab-spark-conf");
    assertThat(properties(conf.getData().get("spark-defaults.conf")))
        .containsEntry("spark.dynamicAllocation.shuffleTracking.timeout", "30min");
  }

  @Test
  void celebornIsTwoStatefulSetsTwoHeadlessServicesAndAConfigMapAllRestrictedAndLabelled() {
    SparkPlatform p = with(CelebornShuffle.builder().workerReplicas(4).workerDisks(2)
        .workerDiskSize("200Gi").storageClass("fast").build());
    List<KubernetesObject> objects = shuffleObjects(p);

    assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("ConfigMap/team-celeborn-conf", "Service/team-celeborn-master",
            "StatefulSet/team-celeborn-master", "Service/team-celeborn-worker",
            "StatefulSet/team-celeborn-worker");
    for (KubernetesObject o : objects) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "celeborn")
          .containsEntry("app.kubernetes.io/instance", "team")
          .containsEntry("app.kubernetes.io/part-of", "sparkk8s-platform")
          .containsEntry("app.kubernetes.io/managed-by", "sparkk8s")
          .containsEntry("app.kubernetes.io/version", CelebornShuffle.DEFAULT_VERSION)
          .containsKey("app.kubernetes.io/component");
      assertThat(o.getMetadata().getNamespace()).isEqualTo("data");
    }

    V1StatefulSet masters = find(objects, V1StatefulSet.class, "team-celeborn-master");
    assertThat(masters.getSpec().getReplicas()).isEqualTo(3);
    assertThat(masters.getSpec().getServiceName()).isEqualTo("team-celeborn-master");
    assertThat(masters.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(masters.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(masters.getSpec().getSelector().getMatchLabels());
    V1Container master = masters.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(master.getImage()).isEqualTo("apache/celeborn:" + CelebornShuffle.DEFAULT_VERSION);
    assertThat(master.getArgs()).containsExactly("/opt/celeborn/sbin/start-master.sh");
    assertThat(master.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("CELEBORN_MASTER_JAVA_OPTS");
      assertThat(e.getValue()).isEqualTo("-Dceleborn.master.ha.node.id=$(POD_INDEX)");
    });
    assertThat(masters.getSpec().getVolumeClaimTemplates()).singleElement()
        .satisfies(c -> assertThat(c.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "team"));
    assertRestricted(masters.getSpec().getTemplate().getSpec(), "masters");
    assertThat(masters.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10006L);

    V1StatefulSet workers = find(objects, V1StatefulSet.class, "team-celeborn-worker");
    assertThat(workers.getSpec().getReplicas()).isEqualTo(4);
    assertThat(workers.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
        .containsExactly("disk0", "disk1");
    assertThat(workers.getSpec().getVolumeClaimTemplates()).allSatisfy(c -> {
      assertThat(c.getSpec().getStorageClassName()).isEqualTo("fast");
      assertThat(c.getSpec().getResources().getRequests().get("storage").toSuffixedString()).isEqualTo("200Gi");
    });
    V1Container worker = workers.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(worker.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/mnt/celeborn/disk0", "/mnt/celeborn/disk1");
    // heap 1g + overhead max(384Mi, heap / 2) + 2g off-heap
    assertThat(worker.getResources().getLimits().get("memory").toSuffixedString()).isEqualTo("3584Mi");
    assertRestricted(workers.getSpec().getTemplate().getSpec(), "workers");

    V1Service masterSvc = find(objects, V1Service.class, "team-celeborn-master");
    assertThat(masterSvc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(masterSvc.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(masterSvc.getSpec().getPorts()).extracting(sp -> sp.getPort()).contains(9097, 9872);
  }

  @Test
  void celebornDefaultsConfNamesEveryMasterAndEveryDiskAndHoldsNoSecret() throws Exception {
    SparkPlatform p = with(CelebornShuffle.builder().workerDisks(2).workerDiskSize("10Gi")
        .putCelebornConf("celeborn.worker.flusher.buffer.size", "256k").build());
    V1ConfigMap cm = find(shuffleObjects(p), V1ConfigMap.class, "team-celeborn-conf");

    Properties conf = properties(cm.getData().get("celeborn-defaults.conf"));
    assertThat(conf.getProperty("celeborn.master.endpoints")).isEqualTo(
        "team-celeborn-master-0.team-celeborn-master.data.svc:9097,"
            + "team-celeborn-master-1.team-celeborn-master.data.svc:9097,"
            + "team-celeborn-master-2.team-celeborn-master.data.svc:9097");
    assertThat(conf).containsEntry("celeborn.master.ha.enabled", "true")
        .containsEntry("celeborn.master.ha.node.2.host", "team-celeborn-master-2.team-celeborn-master.data.svc")
        .containsEntry("celeborn.master.ha.node.0.ratis.port", "9872")
        .containsEntry("celeborn.worker.storage.dirs",
            "/mnt/celeborn/disk0:capacity=10240m,/mnt/celeborn/disk1:capacity=10240m")
        .containsEntry("celeborn.worker.push.port", "9092")
        .containsEntry("celeborn.worker.flusher.buffer.size", "256k");
    assertThat(cm.getData()).containsOnlyKeys("celeborn-defaults.conf");
    assertThat(shuffleObjects(p)).noneMatch(o -> o.getKind().equals("Secret"));
  }

  @Test
  void aSingleMasterIsNotAnHaGroup() throws Exception {
    SparkPlatform p = with(CelebornShuffle.of(1, 1));
    List<KubernetesObject> objects = shuffleObjects(p);
    Properties conf = properties(find(objects, V1ConfigMap.class, "team-celeborn-conf")
        .getData().get("celeborn-defaults.conf"));

    assertThat(conf).doesNotContainKey("celeborn.master.ha.enabled")
        .containsEntry("celeborn.master.endpoints", "team-celeborn-master-0.team-celeborn-master.data.svc:9097");
    assertThat(find(objects, V1StatefulSet.class, "team-celeborn-master").getSpec().getTemplate()
        .getSpec().getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("CELEBORN_MASTER_JAVA_OPTS"));
    // One worker cannot replicate to another.
    assertThat(p.shuffleConf("4.1.1")).containsEntry("spark.celeborn.client.push.replicate.enabled", "false");
  }

  @Test
  void celebornClientConfForSpark4AddsTheSpark4ClientAndDropsShuffleTracking() {
    SparkPlatform p = with(CelebornShuffle.defaults());

    assertThat(p.shuffleConf("4.1.1"))
        .containsEntry("spark.shuffle.manager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager")
        .containsEntry("spark.celeborn.master.endpoints",
            String.join(",", p.names().celebornMasterEndpoints(3)))
        .containsEntry("spark.shuffle.service.enabled", "false")
        .containsEntry("spark.shuffle.sort.io.plugin.class",
            "org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO")
        .containsEntry("spark.dynamicAllocation.shuffleTracking.enabled", "false")
        .containsEntry("spark.celeborn.client.push.replicate.enabled", "true")
        .containsEntry("spark.jars.packages", "org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:"
            + CelebornShuffle.DEFAULT_VERSION);
  }

  @Test
  void spark3NeedsTheClientJarInTheImageAndBefore35KeepsShuffleTracking() {
    CelebornShuffle inImage = CelebornShuffle.defaults().withClientJarInImage(true);
    SparkPlatform p = with(inImage);

    assertThat(p.shuffleConf("3.5.6"))
        .containsEntry("spark.shuffle.sort.io.plugin.class",
            "org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO")
        .doesNotContainKey("spark.jars.packages");
    assertThat(p.shuffleConf("3.4.4"))
        .containsEntry("spark.shuffle.manager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager")
        .doesNotContainKeys("spark.shuffle.sort.io.plugin.class",
            "spark.dynamicAllocation.shuffleTracking.enabled");
    assertThat(inImage.clientPackage("3.5.6"))
        .isEqualTo("org.apache.celeborn:celeborn-client-spark-3-shaded_2.12:" + CelebornShuffle.DEFAULT_VERSION);

    assertThatThrownBy(() -> with(CelebornShuffle.defaults()).shuffleConf("3.5.6"))
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("sparkVersion '3.5.6'").hasMessageContaining("SPARK-45762")
        .hasMessageContaining("clientJarInImage(true)");
    assertThatThrownBy(() -> with(CelebornShuffle.builder().version("0.5.4").build()).shuffleConf("4.1.1"))
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("from 0.6.0");
  }

  @Test
  void aNotebookOfACelebornPlatformGetsTheClientConf() throws Exception {
    SparkPlatform p = with(CelebornShuffle.defaults());
    V1ConfigMap conf = find(PlatformCompiler.compile(p).applied(), V1ConfigMap.class, "team-lab-spark-conf");

    Properties props = properties(conf.getData().get("spark-defaults.conf"));
    assertThat(props)
        .containsEntry("spark.shuffle.manager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager")
        .containsEntry("spark.dynamicAllocation.enabled", "true")
        .containsEntry("spark.dynamicAllocation.shuffleTracking.enabled", "false");
  }

  @Test
  void applyingTheServiceToAJobKeepsItsOwnValuesAndBothPackageLists() {
    SparkPlatform p = with(CelebornShuffle.defaults());
    SparkJob job = SparkJob.builder().name("etl").namespace("data")
        .application(Application.jvm("com.example.Etl", "local:///opt/app.jar"))
        .putSparkConf("spark.jars.packages", "org.example:lib:1.0")
        .putSparkConf("spark.serializer", "org.example.MySerializer")
        .build();

    SparkJob applied = p.applyShuffleService(job);

    assertThat(applied.sparkConf())
        .containsEntry("spark.shuffle.manager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager")
        .containsEntry("spark.serializer", "org.example.MySerializer")
        .containsEntry("spark.jars.packages", "org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:"
            + CelebornShuffle.DEFAULT_VERSION + ",org.example:lib:1.0");
    assertThat(SparkPlatform.builder().name("t").build().applyShuffleService(job)).isSameAs(job);
  }

  @Test
  void theHostPathDaemonSetRunsSparksShuffleServiceOnTheHostDirectoryAndTheServiceStaysHardened() {
    HostPathShuffleService ess = HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle");
    SparkPlatform p = with(ess);
    List<KubernetesObject> objects = shuffleObjects(p);

    assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("DaemonSet/team-shuffle-service");
    V1DaemonSet ds = (V1DaemonSet) objects.get(0);
    assertThat(ds.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "team")
        .containsEntry("app.kubernetes.io/name", "spark-shuffle-service")
        .containsEntry("app.kubernetes.io/managed-by", "sparkk8s");
    V1PodSpec pod = ds.getSpec().getTemplate().getSpec();
    V1Volume dir = pod.getVolumes().get(0);
    assertThat(dir.getHostPath().getPath()).isEqualTo("/var/lib/spark-shuffle");
    V1Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("apache/spark:" + SparkJob.DEFAULT_SPARK_VERSION);
    assertThat(c.getArgs()).containsExactly("/opt/spark/bin/spark-class",
        "org.apache.spark.deploy.ExternalShuffleService");
    assertThat(c.getPorts()).singleElement().satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(7337));
    assertThat(c.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/spark-shuffle"));
    assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("SPARK_NO_DAEMONIZE"));
    // The hostPath and the init container preparing it are outside the restricted level; the
    // service itself stays hardened.
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
      assertThat(init.getCommand()).containsExactly("chown", "185:185", "/var/lib/spark-shuffle");
      assertThat(init.getSecurityContext().getCapabilities().getAdd()).containsExactly("CHOWN");
    });
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .isEqualTo(ess.podLabels(p.names())).containsEntry("sparkk8s.io/platform-component", "shuffle-service");
    assertThat(ShuffleCompiler.components(p)).singleElement()
        .satisfies(comp -> assertThat(comp.workloadKind()).isEqualTo("DaemonSet"));
  }

  @Test
  void theHostPathServiceConfIsForTheSpark2ForkAndRefusedForSpark3And4() {
    SparkPlatform p = with(HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle"));

    assertThat(p.shuffleConf("2.2.0"))
        .containsEntry("spark.shuffle.service.enabled", "true")
        .containsEntry("spark.kubernetes.shuffle.namespace", "data")
        .containsEntry("spark.kubernetes.shuffle.labels",
            "app.kubernetes.io/instance=team,sparkk8s.io/platform-component=shuffle-service")
        .containsEntry("spark.kubernetes.shuffle.dir", "/var/lib/spark-shuffle")
        .containsEntry("spark.local.dir", "/var/lib/spark-shuffle");
    assertThatThrownBy(() -> p.shuffleConf("3.5.6")).isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("own pod IP");
    // Notebooks (Spark 3 and 4) get none of it.
    assertThat(ShuffleCompiler.notebookConf(p, p.notebooks().get(0))).isEmpty();
  }

  @Test
  void theSameDescriptionGivesTheSameObjects() {
    SparkPlatform p = with(CelebornShuffle.defaults());
    assertThat(io.kubernetes.client.util.Yaml.dumpAll(shuffleObjects(p).iterator()))
        .isEqualTo(io.kubernetes.client.util.Yaml.dumpAll(shuffleObjects(with(CelebornShuffle.defaults())).iterator()));
  }
}
