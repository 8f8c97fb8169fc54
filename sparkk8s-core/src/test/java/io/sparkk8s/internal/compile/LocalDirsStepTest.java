package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.sparkk8s.storage.Volume;
import org.junit.jupiter.api.Test;

class LocalDirsStepTest {
  final LocalDirsStep step = new LocalDirsStep();

  @Test
  void defaultIsOneEmptyDirWithADeterministicPath() {
    var job = Jobs.pi().build();
    var a = Jobs.apply(step, job);
    var b = Jobs.apply(step, job);
    assertThat(a.pod().getSpec().getVolumes()).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    String path = a.container().getVolumeMounts().get(0).getMountPath();
    assertThat(path).matches("/var/data/spark-[0-9a-f-]{36}")
        .isEqualTo(b.container().getVolumeMounts().get(0).getMountPath());
    assertThat(a.container().getEnv()).extracting(V1EnvVar::getValue).containsExactly(path);
  }

  @Test
  void usesVolumesTheUserNamedAsLocalDirs() {
    var job = Jobs.pi().addVolume(Volume.emptyDir("spark-local-dir-fast", "/fast")).build();
    var ctx = DriverContext.of(job);
    var sp = new MountVolumesStep().configurePod(SparkPod.initial(), ctx);
    sp = step.configurePod(sp, ctx);
    assertThat(sp.pod().getSpec().getVolumes()).hasSize(1);
    assertThat(sp.container().getEnv()).extracting(V1EnvVar::getValue).containsExactly("/fast");
  }

  @Test
  void tmpfsUsesMemoryMedium() {
    var job = Jobs.pi().putSparkConf("spark.local.dir", "/a,/b")
        .putSparkConf("spark.kubernetes.local.dirs.tmpfs", "true").build();
    var sp = Jobs.apply(step, job);
    assertThat(sp.pod().getSpec().getVolumes()).hasSize(2)
        .allSatisfy(v -> assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory"));
    assertThat(sp.container().getEnv().get(0).getValue()).isEqualTo("/a,/b");
  }
}
