package io.sparkk8s.conformance.reference;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.util.ModelMapper;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The conformance oracle: runs Apache Spark's own Kubernetes cluster-mode submission for a
 * {@code spark-submit} command line, offline, and returns the objects Spark would create.
 *
 * <pre>{@code
 * ReferenceSubmission spark = SparkReference.spark4().submit(List.of(
 *     "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster",
 *     "--name", "spark-pi", "--class", "org.apache.spark.examples.SparkPi",
 *     "--conf", "spark.kubernetes.namespace=jobs",
 *     "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
 *     "local:///opt/spark/examples/jars/spark-examples.jar", "100"),
 *     "spark-0123456789abcdef0123456789abcdef");
 * assertThat(spark.driverService().getSpec().getClusterIP()).isEqualTo("None");
 * }</pre>
 *
 * <p>Spark itself does the work, in its own isolated class loader per version (Spark 4.1 on
 * Scala 2.13 and Spark 3.5 on Scala 2.12 cannot share one): {@code SparkSubmitArguments},
 * {@code SparkSubmit.prepareSubmitEnvironment}, {@code ClientArguments.fromCommandLineArgs},
 * {@code KubernetesConf.createDriverConf} and {@code Client.run} with the
 * {@code KubernetesDriverBuilder}, against a Kubernetes client that records instead of sending.
 * See {@code src/test/spark-oracle/bridge} for the code that runs inside, and
 * {@code sparkk8s-core/pom.xml} for how each version's classpath is resolved.
 *
 * <p>Differences from a real {@code spark-submit}, all deliberate:
 * <ul>
 *   <li>{@code spark.app.id} is the caller's, not a random one;
 *   <li>the environment Spark sees through {@code SparkSubmitArguments} and {@code SparkConf.getenv}
 *       ({@code SPARK_CONF_DIR}, {@code HADOOP_CONF_DIR}, {@code SPARK_LOCAL_DIRS}, {@code MASTER},
 *       {@code SPARK_HOME}...) is the one given, empty by default, so no {@code spark-defaults.conf}
 *       and no conf files are picked up. A few places in Spark read {@code System.getenv} directly
 *       and still see the test JVM's: {@code SPARK_USER} (the {@code SPARK_USER} env var of the
 *       pod; else the OS user), {@code PYSPARK_PYTHON}/{@code PYSPARK_DRIVER_PYTHON} (Python
 *       apps) and {@code SPARK_TESTING};
 *   <li>{@code spark.*} JVM system properties of the test JVM are hidden from Spark;
 *   <li>the created driver pod gets uid {@link #DRIVER_POD_UID}, which Spark copies into the owner
 *       references of everything else;
 *   <li>remote file systems (gs, s3a, hdfs, abfs...) answer offline: {@code --jars} and the like
 *       on them stay as given (wildcards unexpanded), and uploads of local files to
 *       {@code spark.kubernetes.file.upload.path} are discarded (Spark still names them);
 *   <li>the submission stops where {@code spark-submit} would start watching the driver pod.
 * </ul>
 * What stays random, as in Spark: the resource name prefix, the ConfigMap name (once per
 * {@code SparkReference}, as Spark picks it once per JVM), {@code SPARK_LOCAL_DIRS}' uuid,
 * {@code spark.app.submitTime} and the date comment in {@code spark.properties}.
 *
 * <p>Instances are cached per version, so calls are cheap after the first (which compiles the
 * bridge if needed and warms Spark up, a few seconds). Submissions are serialised: Spark and the
 * guards around it touch JVM-wide state.
 */
public final class SparkReference {

  /** The uid the offline API server gives the driver pod Spark creates. */
  public static final String DRIVER_POD_UID = "00000000-0000-4000-8000-0000000d71e7";

  private static final ConcurrentMap<String, SparkReference> BY_VERSION_PROPERTY =
      new ConcurrentHashMap<>();

  private final IsolatedSpark spark;

  private SparkReference(IsolatedSpark spark) {
    this.spark = spark;
  }

  /** Spark 4 ({@code spark4.version} of the parent pom: 4.1.1), Scala 2.13. */
  public static SparkReference spark4() {
    return forVersionProperty("spark4.version");
  }

  /** Spark 3.5 ({@code spark35.version} of the parent pom: 3.5.6), Scala 2.12. */
  public static SparkReference spark35() {
    return forVersionProperty("spark35.version");
  }

  private static SparkReference forVersionProperty(String property) {
    return BY_VERSION_PROPERTY.computeIfAbsent(property, p -> {
      OracleLayout layout = OracleLayout.locate();
      return new SparkReference(IsolatedSpark.load(layout, layout.sparkVersion(p)));
    });
  }

  /** The exact Spark version, e.g. {@code 4.1.1}. */
  public String sparkVersion() {
    return spark.sparkVersion();
  }

  /**
   * Runs Spark's own submission code for this command line, offline, in an empty environment.
   *
   * @param sparkSubmitArgs what a user passes to {@code spark-submit} after the command name; it
   *     must be a Kubernetes cluster-mode submission ({@code --master k8s://...} and
   *     {@code --deploy-mode cluster})
   * @param appId used as {@code spark.app.id}; Spark's own are {@code spark-} + 32 hex digits
   * @throws SparkReferenceException if Spark rejects the submission, as spark-submit would
   */
  public ReferenceSubmission submit(List<String> sparkSubmitArgs, String appId) {
    return submit(sparkSubmitArgs, appId, Map.of());
  }

  /**
   * Like {@link #submit(List, String)}, with the environment variables {@code spark-submit} sees,
   * e.g. {@code SPARK_CONF_DIR} to have the files of a conf directory put in the ConfigMap.
   */
  public ReferenceSubmission submit(
      List<String> sparkSubmitArgs, String appId, Map<String, String> environment) {
    requireNonNull(sparkSubmitArgs, "sparkSubmitArgs");
    requireNonNull(environment, "environment");
    if (appId == null || appId.isBlank()) {
      throw new IllegalArgumentException("appId is blank");
    }
    Map<String, Object> sent = spark.submit(sparkSubmitArgs, appId, environment, DRIVER_POD_UID);

    V1ConfigMap configMap = JSON.deserialize((String) sent.get("configMap"), V1ConfigMap.class);
    List<Object> otherResources = new ArrayList<>();
    for (Object json : (List<?>) sent.get("otherResources")) {
      otherResources.add(typed((String) json));
    }
    return new ReferenceSubmission(
        JSON.deserialize((String) sent.get("driverPod"), V1Pod.class),
        configMap,
        otherResources,
        sparkProperties(configMap),
        (String) sent.get("resourceNamePrefix"),
        (String) sent.get("configMapName"));
  }

  /**
   * Executor 1's pod as Spark's driver builds it from {@code driverProperties} (the driver's
   * {@code spark.properties}), without the executor pod template (see ExecutorPodBridge).
   */
  public V1Pod executorPod(Map<String, String> driverProperties, String appId) {
    return JSON.deserialize(spark.executorPod(driverProperties, appId), V1Pod.class);
  }

  /** The kinds core Spark creates; ModelMapper (which scans client-java's jar) for the others. */
  private static final Map<String, Class<?>> CORE_KINDS = Map.of(
      "v1/Service", V1Service.class,
      "v1/ConfigMap", V1ConfigMap.class,
      "v1/Secret", V1Secret.class,
      "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
      "v1/Pod", V1Pod.class);

  /** fabric8's JSON of an object, as the client-java model class of its kind. */
  private static Object typed(String json) {
    JsonObject object = JSON.getGson().fromJson(json, JsonObject.class);
    String apiVersion = object.get("apiVersion").getAsString();
    String kind = object.get("kind").getAsString();
    Class<?> type = CORE_KINDS.get(apiVersion + "/" + kind);
    if (type == null) {
      type = ModelMapper.getApiTypeClass(apiVersion, kind);
    }
    return type != null ? JSON.deserialize(json, type) : new DynamicKubernetesObject(object);
  }

  private static Map<String, String> sparkProperties(V1ConfigMap configMap) {
    String file = configMap.getData() == null ? null : configMap.getData().get("spark.properties");
    if (file == null) {
      throw new IllegalStateException("Spark's ConfigMap has no spark.properties: " + configMap);
    }
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  @Override
  public String toString() {
    return "SparkReference[" + spark + "]";
  }
}
