package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.Map;

/**
 * A Hadoop configuration ConfigMap ({@code spark.kubernetes.hadoop.configMapName}) mounted on the
 * driver, as Spark's {@code HadoopConfDriverFeatureStep} does: the whole map at
 * {@code /opt/hadoop/conf}, {@code HADOOP_CONF_DIR} pointing at it, and the map's name passed on to
 * executors ({@code spark.kubernetes.executor.hadoopConfigMapName}) which mount it the same way.
 * Spark's other branch, shipping the submitter's local {@code HADOOP_CONF_DIR}, has no equivalent:
 * the SDK never reads the caller's machine.
 */
public final class HadoopConfStep implements FeatureStep {
  static final String CONF_MAP = "spark.kubernetes.hadoop.configMapName";
  static final String VOLUME = "hadoop-properties";
  static final String DIR = "/opt/hadoop/conf";

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    String map = ctx.conf().get(CONF_MAP);
    if (map == null) {
      return sp;
    }
    sp.pod().getSpec().addVolumesItem(new V1Volume().name(VOLUME)
        .configMap(new V1ConfigMapVolumeSource().name(map)));
    sp.container().addVolumeMountsItem(new V1VolumeMount().name(VOLUME).mountPath(DIR));
    sp.container().addEnvItem(BasicDriverStep.env("HADOOP_CONF_DIR", DIR));
    return sp;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    String map = ctx.conf().get(CONF_MAP);
    return map == null ? Map.of() : Map.of("spark.kubernetes.executor.hadoopConfigMapName", map);
  }
}
