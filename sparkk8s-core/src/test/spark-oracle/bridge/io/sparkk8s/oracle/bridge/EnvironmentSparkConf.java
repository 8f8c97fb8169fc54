package io.sparkk8s.oracle.bridge;

import java.util.Map;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * A {@link SparkConf} whose {@code getenv} answers from a given environment instead of
 * {@code System.getenv}: the hook Spark itself provides "so that environment variables can be
 * mocked". Spark's Kubernetes code reads {@code SPARK_CONF_DIR} (ConfigMap files, in
 * {@code KubernetesClientUtils.loadSparkConfDirFiles}), {@code HADOOP_CONF_DIR}
 * ({@code HadoopConfDriverFeatureStep}) and {@code SPARK_LOCAL_DIRS} ({@code LocalDirsFeatureStep})
 * through it, so the reference does not depend on the test JVM's environment.
 *
 * <p>{@code KubernetesConf.createDriverConf} clones the conf, so {@link #clone} keeps the type.
 */
final class EnvironmentSparkConf extends SparkConf {

  private static final long serialVersionUID = 1L;

  private final Map<String, String> environment;

  private EnvironmentSparkConf(Map<String, String> environment) {
    super(false);
    this.environment = environment;
  }

  static EnvironmentSparkConf copyOf(SparkConf conf, Map<String, String> environment) {
    EnvironmentSparkConf copy = new EnvironmentSparkConf(environment);
    for (Tuple2<String, String> setting : conf.getAll()) {
      // SparkConf.clone copies silently too (no deprecation warnings twice).
      copy.set(setting._1(), setting._2(), true);
    }
    return copy;
  }

  @Override
  public String getenv(String name) {
    return environment.get(name);
  }

  @Override
  public SparkConf clone() {
    return copyOf(this, environment);
  }
}
