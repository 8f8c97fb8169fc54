package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.HdfsStorage;
import org.junit.jupiter.api.Test;

class HadoopConfStepTest {
  @Test
  void mountsTheConfigMapAndPointsHadoopConfDirAtIt() {
    var job = Jobs.pi().putSparkConf("spark.kubernetes.hadoop.configMapName", "hadoop-site").build();

    SparkPod sp = Jobs.apply(new HadoopConfStep(), job);

    assertThat(sp.pod().getSpec().getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("hadoop-properties");
      assertThat(v.getConfigMap().getName()).isEqualTo("hadoop-site");
    });
    assertThat(sp.container().getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/hadoop/conf"));
    assertThat(sp.container().getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("HADOOP_CONF_DIR");
      assertThat(e.getValue()).isEqualTo("/opt/hadoop/conf");
    });
    assertThat(new HadoopConfStep().systemProperties(DriverContext.of(job)))
        .containsEntry("spark.kubernetes.executor.hadoopConfigMapName", "hadoop-site");
  }

  @Test
  void anHdfsBackendWithAConfigMapGetsTheSameMount() {
    var job = Jobs.pi().eventLog(EventLog.to(HdfsStorage.of("hdfs://nameservice1", "/logs")
        .withHadoopConfigMap("hdfs-ha"))).build();

    SparkPod sp = Jobs.apply(new HadoopConfStep(), job);

    assertThat(sp.pod().getSpec().getVolumes()).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("hdfs-ha"));
  }

  @Test
  void nothingWithoutAConfigMap() {
    SparkPod sp = Jobs.apply(new HadoopConfStep(), Jobs.pi().build());

    assertThat(sp.pod().getSpec().getVolumes()).isNullOrEmpty();
    assertThat(sp.container().getEnv()).isNullOrEmpty();
  }
}
