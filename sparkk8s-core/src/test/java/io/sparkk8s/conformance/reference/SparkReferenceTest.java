package io.sparkk8s.conformance.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle really runs Spark: facts about Spark's own cluster-mode submission, read from
 * Spark's sources (resource-managers/kubernetes/core), must hold for what it returns.
 */
class SparkReferenceTest {

  private static final String APP_ID = "spark-0123456789abcdef0123456789abcdef";
  private static final String EXAMPLES_JAR = "local:///opt/spark/examples/jars/spark-examples.jar";

  static Stream<SparkReference> sparks() {
    return Stream.of(SparkReference.spark4(), SparkReference.spark35());
  }

  private static List<String> sparkPi(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--master", "k8s://https://kubernetes.example:6443",
        "--deploy-mode", "cluster",
        "--name", "spark-pi",
        "--class", "org.apache.spark.examples.SparkPi",
        "--conf", "spark.kubernetes.namespace=jobs",
        "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
        "--conf", "spark.executor.instances=2"));
    args.addAll(List.of(extra));
    args.addAll(List.of(EXAMPLES_JAR, "100"));
    return args;
  }

  private static List<String> pySpark() {
    return List.of(
        "--master", "k8s://https://kubernetes.example:6443",
        "--deploy-mode", "cluster",
        "--name", "word count",
        "--conf", "spark.kubernetes.namespace=jobs",
        "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1-python3",
        "--py-files", "local:///opt/app/deps.zip,local:///opt/app/util.py",
        "local:///opt/app/wordcount.py", "s3a://bucket/in", "--verbose");
  }

  @Test
  void loadsTheVersionsOfTheParentPom() {
    assertThat(SparkReference.spark4().sparkVersion()).isEqualTo("4.1.1");
    assertThat(SparkReference.spark35().sparkVersion()).isEqualTo("3.5.6");
    assertThat(SparkReference.spark4()).isSameAs(SparkReference.spark4());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void driverPodIsTheOneClientRunCreates(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(sparkPi(), APP_ID);

    V1Pod pod = submission.driverPod();
    assertThat(pod.getMetadata().getName()).isEqualTo(submission.resourceNamePrefix() + "-driver");
    assertThat(submission.resourceNamePrefix()).matches("spark-pi-[0-9a-f]{16}");
    assertThat(pod.getMetadata().getLabels()).containsOnly(
        entry("spark-version", spark.sparkVersion()),
        entry("spark-app-selector", APP_ID),
        entry("spark-app-name", "spark-pi"),
        entry("spark-role", "driver"));
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");

    V1Container driver = submission.driverContainer();
    assertThat(pod.getSpec().getContainers()).containsExactly(driver);
    assertThat(driver.getName()).isEqualTo("spark-kubernetes-driver");
    assertThat(driver.getImage()).isEqualTo("apache/spark:4.1.1");
    assertThat(driver.getArgs()).containsExactly(
        "driver", "--properties-file", "/opt/spark/conf/spark.properties",
        "--class", "org.apache.spark.examples.SparkPi", EXAMPLES_JAR, "100");
    assertThat(env(driver)).containsEntry("SPARK_APPLICATION_ID", APP_ID)
        .containsEntry("SPARK_CONF_DIR", "/opt/spark/conf")
        .containsKeys("SPARK_USER", "SPARK_DRIVER_BIND_ADDRESS", "SPARK_LOCAL_DIRS");
    assertThat(driver.getEnv()).filteredOn(e -> e.getName().equals("SPARK_DRIVER_BIND_ADDRESS"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
            .isEqualTo("status.podIP"));
    // 1g of driver memory + the minimum overhead of 384 MiB, request = limit; no CPU limit.
    assertThat(driver.getResources().getRequests())
        .containsOnly(entry("cpu", new Quantity("1")), entry("memory", new Quantity("1408Mi")));
    assertThat(driver.getResources().getLimits())
        .containsOnly(entry("memory", new Quantity("1408Mi")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void driverPodMountsTheConfigMapAsSparkConfDir(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(sparkPi(), APP_ID);

    V1Volume confVolume = volume(submission.driverPod(), "spark-conf-volume-driver");
    assertThat(confVolume.getConfigMap().getName()).isEqualTo(submission.configMapName());
    assertThat(confVolume.getConfigMap().getItems()).containsExactly(
        new V1KeyToPath().key("spark.properties").path("spark.properties").mode(420));
    assertThat(submission.driverContainer().getVolumeMounts())
        .anySatisfy(m -> {
          assertThat(m.getName()).isEqualTo("spark-conf-volume-driver");
          assertThat(m.getMountPath()).isEqualTo("/opt/spark/conf");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void configMapHoldsTheResolvedSparkProperties(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(sparkPi(), APP_ID);

    V1ConfigMap configMap = submission.configMap();
    assertThat(configMap.getMetadata().getName())
        .isEqualTo(submission.configMapName())
        .matches("spark-drv-[0-9a-f]{16}-conf-map");
    assertThat(configMap.getMetadata().getNamespace()).isEqualTo("jobs");
    assertThat(configMap.getImmutable()).isTrue();
    assertThat(configMap.getData())
        .containsOnlyKeys("spark.properties", "spark.kubernetes.namespace")
        .containsEntry("spark.kubernetes.namespace", "jobs");
    assertThat(configMap.getData().get("spark.properties"))
        .startsWith("#Java properties built from Kubernetes config map with name: "
            + submission.configMapName() + "\n");
    String service = submission.resourceNamePrefix() + "-driver-svc";
    assertThat(submission.sparkProperties())
        .containsEntry("spark.app.id", APP_ID)
        .containsEntry("spark.app.name", "spark-pi")
        .containsEntry("spark.kubernetes.submitInDriver", "true")
        .containsEntry("spark.submit.deployMode", "cluster")
        .containsEntry("spark.master", "k8s://https://kubernetes.example:6443")
        .containsEntry("spark.kubernetes.resource.type", "java")
        .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.1")
        .containsEntry("spark.kubernetes.driver.pod.name", submission.resourceNamePrefix() + "-driver")
        .containsEntry("spark.driver.host", service + ".jobs.svc")
        .containsEntry("spark.driver.port", "7078")
        .containsEntry("spark.driver.blockManager.port", "7079")
        .containsEntry("spark.executor.instances", "2")
        // SparkSubmit adds the primary resource of a JVM application to spark.jars.
        .containsEntry("spark.jars", EXAMPLES_JAR)
        .containsKey("spark.app.submitTime");
    assertOwnedByDriver(configMap.getMetadata(), submission);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void driverServiceIsHeadlessOnTheDriverPorts(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(sparkPi(), APP_ID);

    V1Service service = submission.driverService();
    assertThat(submission.otherResources()).containsExactly(service);
    assertThat(service.getMetadata().getName())
        .isEqualTo(submission.resourceNamePrefix() + "-driver-svc");
    assertThat(service.getMetadata().getLabels()).containsOnly(entry("spark-app-selector", APP_ID));
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(submission.driverPod().getMetadata().getLabels());
    List<V1ServicePort> expected = new ArrayList<>(List.of(
        port("driver-rpc-port", 7078), port("blockmanager", 7079), port("spark-ui", 4040)));
    if (spark.sparkVersion().startsWith("4.")) {
      expected.add(port("spark-connect", 15002));
    }
    assertThat(service.getSpec().getPorts()).containsExactlyElementsOf(expected);
    assertOwnedByDriver(service.getMetadata(), submission);
  }

  @Test
  void onlySpark4OpensTheSparkConnectPortOnTheDriver() {
    assertThat(containerPorts(SparkReference.spark4().submit(sparkPi(), APP_ID)))
        .containsExactly("driver-rpc-port=7078/TCP", "blockmanager=7079/TCP", "spark-ui=4040/TCP",
            "spark-connect=15002/TCP");
    assertThat(containerPorts(SparkReference.spark35().submit(sparkPi(), APP_ID)))
        .containsExactly("driver-rpc-port=7078/TCP", "blockmanager=7079/TCP", "spark-ui=4040/TCP");
  }

  @Test
  void shieldsSparkFromTheTestJvmAndTheTestJvmFromSpark() {
    Logger julRoot = Logger.getLogger("");
    List<Handler> julHandlers = List.of(julRoot.getHandlers());
    System.setProperty("spark.kubernetes.namespace", "from-a-jvm-property");
    try {
      List<String> noNamespace = new ArrayList<>(sparkPi());
      int at = noNamespace.indexOf("spark.kubernetes.namespace=jobs");
      noNamespace.subList(at - 1, at + 1).clear();

      ReferenceSubmission submission = SparkReference.spark4().submit(noNamespace, APP_ID);

      assertThat(submission.configMap().getMetadata().getNamespace()).isEqualTo("default");
      assertThat(System.getProperty("spark.kubernetes.namespace"))
          .isEqualTo("from-a-jvm-property");
      // Spark's Logging would route all of JUL into its own log4j2.
      assertThat(julRoot.getHandlers()).containsExactlyInAnyOrderElementsOf(julHandlers);
    } finally {
      System.clearProperty("spark.kubernetes.namespace");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void pySparkRunsThePythonRunnerWithTheNonJvmOverhead(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(pySpark(), APP_ID);

    assertThat(submission.resourceNamePrefix()).matches("word-count-[0-9a-f]{16}");
    V1Container driver = submission.driverContainer();
    assertThat(driver.getArgs()).containsExactly(
        "driver", "--properties-file", "/opt/spark/conf/spark.properties",
        "--class", "org.apache.spark.deploy.PythonRunner",
        "local:///opt/app/wordcount.py", "s3a://bucket/in", "--verbose");
    // 1024 MiB + max(0.4 * 1024, 384) MiB.
    assertThat(driver.getResources().getLimits()).containsEntry("memory", new Quantity("1433Mi"));
    assertThat(submission.driverPod().getMetadata().getLabels())
        .containsEntry("spark-app-name", "word-count");
    assertThat(submission.sparkProperties())
        .containsEntry("spark.kubernetes.resource.type", "python")
        .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.4")
        .containsEntry("spark.submit.pyFiles", "local:///opt/app/deps.zip,local:///opt/app/util.py")
        .containsEntry("spark.app.name", "word count")
        .doesNotContainKey("spark.jars");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void filesOfSparkConfDirJoinTheConfigMap(SparkReference spark, @TempDir Path confDir)
      throws IOException {
    Files.writeString(confDir.resolve("log4j2.properties"), "rootLogger.level = info\n");
    Files.writeString(confDir.resolve("spark-defaults.conf"), "spark.executor.memory 3g\n");
    Files.writeString(confDir.resolve("metrics.properties.template"), "# ignored\n");

    ReferenceSubmission submission =
        spark.submit(sparkPi(), APP_ID, Map.of("SPARK_CONF_DIR", confDir.toString()));

    assertThat(submission.configMap().getData())
        .containsOnlyKeys("spark.properties", "spark.kubernetes.namespace", "log4j2.properties")
        .containsEntry("log4j2.properties", "rootLogger.level = info\n");
    assertThat(volume(submission.driverPod(), "spark-conf-volume-driver").getConfigMap().getItems())
        .extracting(V1KeyToPath::getKey)
        .containsExactly("log4j2.properties", "spark.properties");
    // spark-submit read spark-defaults.conf of SPARK_CONF_DIR.
    assertThat(submission.sparkProperties()).containsEntry("spark.executor.memory", "3g");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void remoteDependenciesStayAsGiven(SparkReference spark) {
    ReferenceSubmission submission = spark.submit(sparkPi(
        "--jars", "gs://bucket/lib/a.jar,hdfs://namenode:8020/lib/b.jar",
        "--files", "s3a://bucket/conf/app.conf#app.conf"), APP_ID);

    assertThat(submission.sparkProperties())
        .containsEntry("spark.jars",
            "gs://bucket/lib/a.jar,hdfs://namenode:8020/lib/b.jar," + EXAMPLES_JAR)
        .containsEntry("spark.files", "s3a://bucket/conf/app.conf#app.conf");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void localDependenciesAreUploadedToTheUploadPath(SparkReference spark, @TempDir Path dir)
      throws IOException {
    Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
    Path data = Files.writeString(dir.resolve("data.csv"), "a,b\n");
    List<String> args = List.of(
        "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster",
        "--name", "uploads", "--class", "com.example.App",
        "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
        "--conf", "spark.kubernetes.file.upload.path=gs://bucket/uploads",
        "--files", data.toString(),
        jar.toString());

    ReferenceSubmission submission = spark.submit(args, APP_ID);

    String uploaded = "gs://bucket/uploads/spark-upload-[0-9a-f-]{36}/";
    assertThat(submission.sparkProperties().get("spark.jars")).matches(uploaded + "app\\.jar");
    assertThat(submission.sparkProperties().get("spark.files")).matches(uploaded + "data\\.csv");
    // A local primary jar is not an argument of the driver: it is on spark.jars.
    assertThat(submission.driverContainer().getArgs()).containsExactly(
        "driver", "--properties-file", "/opt/spark/conf/spark.properties",
        "--class", "com.example.App", "spark-internal");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparks")
  void rejectsWhatSparkRejects(SparkReference spark) {
    assertThatThrownBy(() -> spark.submit(
        sparkPi("--conf", "spark.kubernetes.driver.label.spark-role=x"), APP_ID))
        .isInstanceOf(SparkReferenceException.class)
        .hasMessageContaining("Label with key spark-role is not allowed")
        .satisfies(e -> assertThat(((SparkReferenceException) e).sparkExceptionClass())
            .isEqualTo(IllegalArgumentException.class.getName()));
    assertThatThrownBy(() -> spark.submit(sparkPi("--conf", "spark.driver.bindAddress=0.0.0.0"),
        APP_ID))
        .isInstanceOf(SparkReferenceException.class)
        .hasMessageContaining("spark.driver.bindAddress is not supported in Kubernetes mode");
    assertThatThrownBy(() -> spark.submit(List.of("--master", "k8s://https://k:6443",
        "--deploy-mode", "cluster", "--class", "A", "local:///opt/a.jar"), APP_ID))
        .isInstanceOf(SparkReferenceException.class)
        .hasMessageContaining("Must specify the driver container image");
    assertThatThrownBy(() -> spark.submit(List.of("--master", "k8s://https://k:6443",
        "--class", "A", "local:///opt/a.jar"), APP_ID))
        .isInstanceOf(SparkReferenceException.class)
        .hasMessageContaining("not a Kubernetes cluster-mode submission");
  }

  private static void assertOwnedByDriver(V1ObjectMeta metadata, ReferenceSubmission submission) {
    assertThat(metadata.getOwnerReferences()).containsExactly(new V1OwnerReference()
        .apiVersion("v1")
        .kind("Pod")
        .name(submission.driverPod().getMetadata().getName())
        .uid(SparkReference.DRIVER_POD_UID)
        .controller(true));
  }

  private static V1ServicePort port(String name, int port) {
    return new V1ServicePort().name(name).port(port).targetPort(new IntOrString(port));
  }

  private static List<String> containerPorts(ReferenceSubmission submission) {
    return submission.driverContainer().getPorts().stream()
        .map((V1ContainerPort p) -> p.getName() + "=" + p.getContainerPort() + "/" + p.getProtocol())
        .toList();
  }

  private static Map<String, String> env(V1Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (V1EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  private static V1Volume volume(V1Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name + " in " + pod.getSpec()));
  }
}
