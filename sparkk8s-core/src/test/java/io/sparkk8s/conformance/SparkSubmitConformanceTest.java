package io.sparkk8s.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.conformance.reference.ReferenceSubmission;
import io.sparkk8s.conformance.reference.SparkReference;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.ImagePullPolicy;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.Volume;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles each job shape with the SDK and with Apache Spark's own submission code (Spark 4.1 and
 * 3.5, run offline through {@link SparkReference}) from the equivalent {@code spark-submit}
 * command line, and compares the driver pod, the Service, the ConfigMaps and every
 * {@code spark.properties} entry field by field. Random parts of Spark's output (resource prefix,
 * ConfigMap id, local-dir uuid) are replaced by the SDK's deterministic ones first. Any difference
 * not in {@link #ALLOWED} fails.
 */
class SparkSubmitConformanceTest {

  /** A deliberate difference: a path pattern and why the SDK differs there. */
  record Allowed(Pattern path, String reason) {
    static Allowed of(String regex, String reason) {
      return new Allowed(Pattern.compile(regex), reason);
    }
  }

  /**
   * The further differences from a {@code spark-submit} given no executor template and no name
   * prefix: the SDK always ships both, so they are deliberate.
   */
  static final List<Allowed> TEMPLATE_ALLOWED = List.of(
      Allowed.of("^properties\\.spark\\.kubernetes\\.executor\\.podTemplateFile$",
          "the executor pod template carries the SDK's hardening (restricted security context, no"
              + " API token, the executors' account) to the pods Spark's driver creates"),
      Allowed.of("^pod\\.spec\\.volumes\\[pod-template-volume\\](\\..*)?$|^pod\\.spec\\.containers\\"
              + "[spark-kubernetes-driver\\]\\.volumeMounts\\[pod-template-volume\\](\\..*)?$",
          "the driver reads the executor template from this ConfigMap volume, as Spark mounts it"
              + " when given a template"),
      Allowed.of("^objects\\..*-driver-podspec-conf-map$",
          "the ConfigMap holding the executor template, as Spark creates it when given one"),
      Allowed.of("^properties\\.spark\\.kubernetes\\.executor\\.podNamePrefix$",
          "executor pods are named after the job's derived prefix, so a retried submit names the"
              + " same pods; Spark draws a random one"));

  /** Every deliberate difference from Spark, with its reason. Everything else must match. */
  static final List<Allowed> ALLOWED = List.of(
      Allowed.of("^[^.]+\\.metadata\\.namespace$",
          "the SDK names the namespace on every object so its YAML applies anywhere; Spark passes"
              + " it in the API call"),
      Allowed.of("^pod\\.spec\\.enableServiceLinks$",
          "service-link variables are off: thousands of Services overflow the argument list"),
      Allowed.of("^pod\\.spec\\.securityContext(\\..*)?$",
          "pods meet the restricted Pod Security level (non-root 185, seccomp RuntimeDefault)"),
      Allowed.of("^pod\\.spec\\.containers\\[spark-kubernetes-driver\\]\\.securityContext(\\..*)?$",
          "containers meet the restricted Pod Security level (no escalation, drop ALL)"),
      Allowed.of("^pod\\.spec\\.tolerations.*",
          "Spark needs a driver pod template for tolerations; the SDK sets them directly"),
      Allowed.of("^pod\\.spec\\.priorityClassName$",
          "Spark needs a driver pod template for a priority class; the SDK sets it directly"),
      Allowed.of("^pod\\.metadata\\.labels\\.spark-app-name$|^(pod|service)\\.spec\\.selector\\.spark-app-name$",
          "Spark keeps leading/trailing '-' in the label (an invalid label value); the SDK trims"
              + " them"),
      Allowed.of("^[^.]+\\.metadata\\.ownerReferences$",
          "owner references need the created driver's uid; the client adds them after creating"
              + " the driver, in Spark's order"),
      Allowed.of("^pod\\.spec\\.containers\\[spark-kubernetes-driver\\]\\.(volumeMounts\\[spark-local-dir-\\d+\\]"
              + "\\.mountPath|env\\[SPARK_LOCAL_DIRS\\]\\.value)$",
          "Spark 4.1 shuffles several local dirs at random (LocalDirsFeatureStep.randomize); the"
              + " SDK keeps the order given"),
      Allowed.of("^properties\\.spark\\.kubernetes\\.driver\\.annotation\\.scheduling\\.k8s\\.io/group-name$",
          "Spark's VolcanoFeatureStep annotates the driver pod itself, with no conf key, as the"
              + " SDK's step does; the oracle has no such step (not in the released jar), so it is"
              + " given the annotation as conf"),
      Allowed.of("^pod\\.spec\\.containers\\[spark-kubernetes-driver\\]\\.env\\[SPARK_USER\\]\\.value$",
          "SPARK_USER defaults to 'spark', not the submitting OS user, so replicas of a service"
              + " running as different users describe (and name) the same job"),
      Allowed.of("^properties\\.spark\\.app\\.submitTime$",
          "spark-submit stamps the submit time; the SDK output is deterministic"));

  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");
  static final Application PY_PI = Application.python("local:///opt/spark/examples/src/main/python/pi.py");

  static Arguments shape(String name, UnaryOperator<SparkJob.Builder> b) {
    return Arguments.of(name, b);
  }

  /** The job shapes, each run against Spark 4.1 and Spark 3.5. */
  static List<Arguments> shapes() {
    return List.of(
        shape("minimal SparkPi", b -> b.application(PI)),
        shape("SparkPi with args and resources", b -> b.application(PI).addArgument("1000")
            .driver(Driver.builder().cores(2).memory("2g").build())
            .executor(Executor.builder().instances(3).cores(2).memory("4g").build())),
        shape("core requests and limits", b -> b.application(PI)
            .driver(Driver.builder().coreRequest("500m").coreLimit("1500m").build())
            .executor(Executor.builder().coreRequest("250m").coreLimit("2").build())),
        shape("explicit memory overhead", b -> b.application(PI)
            .driver(Driver.builder().memory("3g").memoryOverhead("1g").build())
            .executor(Executor.builder().memoryOverhead("512m").build())),
        shape("large driver memory above the minimum overhead", b -> b.application(PI)
            .driver(Driver.builder().memory("8g").build())),
        shape("minimal PySpark", b -> b.application(PY_PI)),
        shape("PySpark with py files and args", b -> b.application(PY_PI.withPyFiles(
            "https://example.com/lib/deps.zip", "https://example.com/util.py")).addArgument("10")
            .addArgument("--verbose")),
        shape("PySpark with driver memory (0.4 overhead factor)", b -> b.application(PY_PI)
            .driver(Driver.builder().memory("2g").build())),
        shape("PySpark with a chosen interpreter", b -> b.application(PY_PI)
            .putSparkConf("spark.pyspark.python", "/usr/bin/python3.11")),
        shape("dynamic allocation", b -> b.application(PI)
            .dynamicAllocation(DynamicAllocation.between(1, 10))),
        shape("dynamic allocation without shuffle tracking", b -> b.application(PI)
            .dynamicAllocation(DynamicAllocation.builder().minExecutors(0).initialExecutors(2)
                .maxExecutors(8).shuffleTracking(false).executorIdleTimeout("120s").build())),
        shape("labels and annotations", b -> b.application(PI).putLabel("team", "data")
            .putLabel("app.kubernetes.io/part-of", "etl").putAnnotation("example.com/owner", "ana")),
        shape("driver labels and annotations with app id", b -> b.application(PI)
            .driver(Driver.builder().putLabel("role", "main")
                .putAnnotation("example.com/app", "{{APP_ID}}").build())),
        shape("node selectors", b -> b.application(PI).putNodeSelector("pool", "spark")
            .driver(Driver.builder().putNodeSelector("disk", "ssd").build())
            .executor(Executor.builder().putNodeSelector("gpu", "none").build())),
        shape("environment", b -> b.application(PI).putEnv("STAGE", "prod")
            .driver(Driver.builder().putEnv("DRIVER_ONLY", "yes").build())),
        shape("secrets as env and files", b -> b.application(PI)
            .addSecretEnv(SecretEnv.of("DB_PASSWORD", "db-credentials", "password"))
            .addSecretVolume(SecretVolume.of("gcs-key", "/var/secrets/gcs"))
            .addSecretVolume(SecretVolume.of("exec-only", "/var/secrets/x").withMountOn(MountOn.EXECUTORS))),
        shape("volumes of every type", b -> b.application(PI)
            // hostPath and nfs are not allowed by the restricted Pod Security level.
            .restrictedSecurityContext(false)
            .addVolume(Volume.hostPath("host", "/mnt/disks/ssd0", "/data/host"))
            .addVolume(Volume.builder().name("scratch").type(Volume.Type.EMPTY_DIR)
                .mountPath("/scratch").putOption("sizeLimit", "10Gi").build())
            .addVolume(Volume.nfs("shared", "nfs.example.com", "/exports/spark", "/shared"))
            .addVolume(Volume.persistentVolumeClaim("data", "team-data", "/data")
                .withReadOnly(true).withSubPath("jobs"))),
        shape("on-demand claim", b -> b.application(PI)
            .addVolume(Volume.builder().name("work").type(Volume.Type.PERSISTENT_VOLUME_CLAIM)
                .mountPath("/work").putOption("claimName", "OnDemand")
                .putOption("storageClass", "standard").putOption("sizeLimit", "5Gi").build())),
        shape("executor-only volume", b -> b.application(PI)
            .addVolume(Volume.emptyDir("shuffle", "/shuffle").withMountOn(MountOn.EXECUTORS))),
        shape("service accounts", b -> b.application(PI).serviceAccount("spark-driver")
            .executorServiceAccount("spark-executor")),
        shape("Spark authentication with the key from a Secret", b -> b.application(PI)
            .authenticationSecret("spark-auth")),
        shape("image pull policy and secrets", b -> b.application(PI)
            .imagePullPolicy(ImagePullPolicy.ALWAYS).addImagePullSecret("regcred")
            .addImagePullSecret("backup-cred")),
        shape("custom image", b -> b.application(PI).image("registry.example.com/spark:custom-7")),
        shape("custom ports and conf", b -> b.application(PI).putSparkConf("spark.ui.port", "4141")
            .putSparkConf("spark.driver.port", "7000").putSparkConf("spark.blockManager.port", "7100")
            .putSparkConf("spark.sql.shuffle.partitions", "64")),
        shape("remote jars and files", b -> b.application(PI)
            .addJar("https://repo.example.com/dep-1.jar").addJar("http://repo.example.com/dep-2.jar")
            .addFile("https://example.com/conf/app.conf")),
        shape("proxy user", b -> b.application(PI).proxyUser("etl-user")),
        shape("free-text app name", b -> b.application(PI).appName("Nightly ETL: Sales (EU)!")),
        shape("tolerations and priority class", b -> b.application(PI)
            .addToleration(Toleration.equal("dedicated", "spark", "NoSchedule"))
            .addToleration(Toleration.exists("spot")).priorityClassName("batch-low")),
        shape("several local dirs on tmpfs", b -> b.application(PI)
            .putSparkConf("spark.local.dir", "/tmp/a,/tmp/b")
            .putSparkConf("spark.kubernetes.local.dirs.tmpfs", "true")),
        shape("hardening off and explicit app id", b -> b.application(PI)
            .restrictedSecurityContext(false).appId("spark-0123456789abcdef0123456789abcdef")),
        shape("longest name", b -> b.application(PI).name("n".repeat(63))),
        shape("driver GPU and overhead factor", b -> b.application(PI)
            .putSparkConf("spark.driver.resource.gpu.amount", "1")
            .putSparkConf("spark.driver.resource.gpu.vendor", "nvidia.com")
            .putSparkConf("spark.driver.resource.gpu.discoveryScript", "/opt/gpu.sh")
            .putSparkConf("spark.kubernetes.memoryOverheadFactor", "0.2")),
        shape("event log to S3 with a credentials Secret", b -> b.application(PI)
            .eventLog(EventLog.to(S3Storage.of("team-logs").withEndpoint("http://minio.storage:9000")
                .withPathStyleAccess(true).withCredentialsSecret("s3-creds")
                // Spark's submitter resolves packages through Ivy (gigabytes for hadoop-aws); the
                // packages conf is a plain pass-through, covered by StorageBackendTest.
                .withImageHasConnector(true))
                .withRolling("64m").withCompressionCodec("zstd"))),
        shape("GCS key Secret and an NFS export", b -> b.application(PI)
            .addStorage(GcsStorage.of("team-data").withPrefix("jobs").withKeySecret("gcs-key", "key.json"))
            .eventLog(EventLog.to(NfsStorage.of("nfs.example.com", "/exports/spark")))),
        shape("HDFS with a Hadoop configuration ConfigMap", b -> b.application(PI)
            .eventLog(EventLog.to(HdfsStorage.of("hdfs://namenode:8020", "/spark")
                .withHadoopConfigMap("hadoop-conf")))),
        shape("Hadoop configuration ConfigMap in conf", b -> b.application(PI)
            .putSparkConf("spark.kubernetes.hadoop.configMapName", "hadoop-site")),
        shape("YuniKorn gang with queue, task groups, timeout and style", b -> b.application(PI)
            .driver(Driver.builder().cores(2).memory("2g").build())
            .executor(Executor.builder().instances(4).cores(2).memory("3g").build())
            .putNodeSelector("pool", "spark").addToleration(Toleration.exists("spot"))
            .gangScheduling(GangScheduling.yunikorn().withQueue("root.spark").withMinExecutors(3)
                .withPlaceholderTimeout(Duration.ofSeconds(90)).withStyle(GangScheduling.Style.HARD))),
        shape("YuniKorn gang of a PySpark job with dynamic allocation", b -> b.application(PY_PI)
            .driver(Driver.builder().coreRequest("500m").memory("1500m").build())
            .dynamicAllocation(DynamicAllocation.between(2, 6))
            .gangScheduling(GangScheduling.yunikorn())),
        shape("Volcano gang (pods only: Spark's step is not in the released jar)", b -> b
            .application(PI).appId("spark-00000000000000000000000000000009")
            .gangScheduling(GangScheduling.volcano().withQueue("batch"))));
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String version : List.of("4.1.1", "3.5.6")) {
      for (Arguments s : shapes()) {
        out.add(Arguments.of(s.get()[0], version, s.get()[1]));
      }
    }
    return out.stream();
  }

  @TempDir Path tmp;

  @ParameterizedTest(name = "Spark {1}: {0}")
  @MethodSource("cases")
  void compilesWhatSparkSubmitCreates(String shape, String version, UnaryOperator<SparkJob.Builder> b)
      throws IOException {
    assertThat(unexplained(differences(version, b, true), ALLOWED))
        .as("differences from Spark %s for '%s'", version, shape).isEmpty();
  }

  /**
   * The suite above gives Spark the SDK's executor template and name prefix as inputs, so what
   * they change never shows as a difference. Given only what a user gives {@code spark-submit},
   * Spark differs further exactly where {@link #TEMPLATE_ALLOWED} says, and those differences do
   * show (a change to the template would be seen).
   */
  @ParameterizedTest(name = "Spark {1}: {0}")
  @MethodSource("cases")
  void withoutTheSdksTemplateAndPrefixOnlyTheListedDifferencesAppear(String shape, String version,
      UnaryOperator<SparkJob.Builder> b) throws IOException {
    List<String> all = differences(version, b, false);
    System.out.printf("[conformance] Spark %s, %s, without the SDK's template and prefix: %s%n",
        version, shape, all.stream().map(d -> d.substring(0, d.indexOf(':'))).sorted().toList());
    List<Allowed> allowed = new ArrayList<>(ALLOWED);
    allowed.addAll(TEMPLATE_ALLOWED);
    assertThat(unexplained(all, allowed))
        .as("differences from Spark %s for '%s' without the SDK's inputs", version, shape).isEmpty();
    assertThat(all).as("the template's own differences are seen").anyMatch(
        d -> d.startsWith("properties.spark.kubernetes.executor.podTemplateFile:"));
  }

  private static List<String> unexplained(List<String> differences, List<Allowed> allowed) {
    return differences.stream().filter(d -> allowed.stream()
        .noneMatch(a -> a.path().matcher(d.substring(0, d.indexOf(':'))).matches())).toList();
  }

  /**
   * Every difference between the SDK's objects and Spark's for the job, as "path: ours=.. spark=..";
   * {@code sdkInputs}: whether Spark is given the SDK's executor template and name prefix.
   */
  @SuppressWarnings("unchecked")
  private List<String> differences(String version, UnaryOperator<SparkJob.Builder> b,
      boolean sdkInputs) throws IOException {
    SparkJob job = b.apply(SparkJob.builder().name("conf-test").namespace("jobs")
        .sparkVersion(version)).build();
    CompiledJob ours = SparkCompiler.compile(job);
    V1ConfigMap ourTemplate = (V1ConfigMap) ours.ownedResources().stream()
        .filter(o -> o.getMetadata().getName().endsWith("-driver-podspec-conf-map"))
        .findFirst().orElseThrow();
    Path templateFile = Files.writeString(tmp.resolve("executor-template.yaml"),
        ourTemplate.getData().get("podspec-configmap-key"));

    SparkReference reference = version.startsWith("3.") ? SparkReference.spark35() : SparkReference.spark4();
    String taskGroups = ours.driverPod().getMetadata().getAnnotations() == null ? null
        : ours.driverPod().getMetadata().getAnnotations().get("yunikorn.apache.org/task-groups");
    ReferenceSubmission spark = reference.submit(SubmitArgs.of(job.withStorageExpanded(),
        sdkInputs ? templateFile.toString() : null, sdkInputs ? ours.resourcePrefix() : null,
        taskGroups), ours.appId());
    if (sdkInputs && job.gangScheduling().isPresent()) {
      gangFitsSparksPods(job, ours, spark, reference, taskGroups);
    }

    Map<String, String> rename = new TreeMap<>((x, y) -> y.length() != x.length()
        ? y.length() - x.length() : x.compareTo(y));
    rename.put(spark.driverService().getMetadata().getName(), ours.driverService().getMetadata().getName());
    rename.put(spark.configMapName(), ours.configMap().getMetadata().getName());
    rename.put(spark.resourceNamePrefix(), ours.resourcePrefix());

    List<String> differences = new ArrayList<>();
    compare("pod", ours.driverPod(), spark.driverPod(), rename, differences);
    compare("service", ours.driverService(), spark.driverService(), rename, differences);
    V1ConfigMap ourConf = ours.configMap();
    V1ConfigMap sparkConf = spark.configMap();
    Map<String, String> ourProps = parse(ourConf.getData().remove("spark.properties"));
    Map<String, String> sparkProps = new TreeMap<>();
    spark.sparkProperties().forEach((k, v) -> sparkProps.put(k, replaceAll(v, rename)));
    sparkConf.getData().remove("spark.properties");
    compare("configMap", ourConf, sparkConf, rename, differences);
    for (String k : union(ourProps.keySet(), sparkProps.keySet())) {
      String o = ourProps.get(k);
      String s = sparkProps.get(k);
      if (!java.util.Objects.equals(o, s)) {
        differences.add("properties." + k + ": ours=" + o + " spark=" + s);
      }
    }
    List<Object> sparkOthers = new ArrayList<>(spark.otherResources());
    sparkOthers.removeIf(o -> o instanceof io.kubernetes.client.openapi.models.V1Service);
    List<Object> ourOthers = new ArrayList<>(ours.ownedResources());
    ourOthers.removeIf(o -> o instanceof io.kubernetes.client.openapi.models.V1Service
        || ((io.kubernetes.client.common.KubernetesObject) o).getMetadata().getName()
            .equals(ours.configMap().getMetadata().getName()));
    List<String> sparkNames = names(sparkOthers, rename);
    for (String name : union(new java.util.HashSet<>(names(ourOthers)), new java.util.HashSet<>(sparkNames))) {
      if (!names(ourOthers).contains(name) || !sparkNames.contains(name)) {
        differences.add("objects." + name + ": ours=" + names(ourOthers).contains(name) + " spark="
            + sparkNames.contains(name));
      }
    }
    for (Object o : ourOthers) {
      String name = ((io.kubernetes.client.common.KubernetesObject) o).getMetadata().getName();
      Object s = sparkOthers.stream().filter(x -> replaceAll(
          ((io.kubernetes.client.common.KubernetesObject) x).getMetadata().getName(), rename).equals(name))
          .findFirst().orElse(null);
      if (s == null) {
        continue;
      }
      compare(((io.kubernetes.client.common.KubernetesObject) o).getKind().toLowerCase() + "(" + name + ")",
          o, s, rename, differences);
    }

    return differences;
  }

  /**
   * Spark's driver builds each executor on the SDK's template and keeps the template's
   * {@code automountServiceAccountToken: false} and account: executors of a job whose driver runs
   * as {@code spark} get no token and the namespace's {@code default} account (Spark alone would
   * give them the driver's).
   */
  @ParameterizedTest(name = "Spark {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"4.1.1", "3.5.6"})
  void sparksExecutorsKeepTheTemplatesNoTokenAndAccount(String version) throws IOException {
    for (boolean optIn : List.of(false, true)) {
      SparkJob job = SparkJob.builder().name("conf-test").namespace("jobs").sparkVersion(version)
          .application(PI).serviceAccount("spark")
          .executor(Executor.builder().mountServiceAccountToken(optIn).build()).build();
      CompiledJob ours = SparkCompiler.compile(job);
      V1ConfigMap ourTemplate = (V1ConfigMap) ours.ownedResources().stream()
          .filter(o -> o.getMetadata().getName().endsWith("-driver-podspec-conf-map"))
          .findFirst().orElseThrow();
      Path templateFile = Files.writeString(tmp.resolve("executor-template-" + optIn + ".yaml"),
          ourTemplate.getData().get("podspec-configmap-key"));
      Map<String, String> props = new TreeMap<>(parse(ours.configMap().getData().get("spark.properties")));
      props.put("spark.kubernetes.executor.podTemplateFile", templateFile.toString());
      SparkReference reference = version.startsWith("3.") ? SparkReference.spark35() : SparkReference.spark4();
      V1Pod executor = reference.executorPod(props, ours.appId());
      if (optIn) {
        assertThat(executor.getSpec().getAutomountServiceAccountToken()).isNull();
        assertThat(executor.getSpec().getServiceAccountName()).isEqualTo("spark");
      } else {
        assertThat(executor.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(executor.getSpec().getServiceAccountName()).isEqualTo("default");
        assertThat(executor.getSpec().getServiceAccount()).isEqualTo("default");
      }
      // The rest of the template reached the executor too.
      assertThat(executor.getSpec().getEnableServiceLinks()).isFalse();
    }
  }

  /**
   * What a gang reserves must fit the pods Spark makes: each YuniKorn task group's minResource is
   * the requests of Spark's driver pod, and of the executor pod Spark's driver builds from the
   * driver's properties; a Volcano PodGroup's minResources is their sum over the gang. The
   * executor pod also carries the scheduler's labels and annotations.
   */
  private static void gangFitsSparksPods(SparkJob job, CompiledJob ours, ReferenceSubmission spark,
      SparkReference reference, String taskGroups) {
    var driverRequests = spark.driverContainer().getResources().getRequests();
    V1Pod executor = reference.executorPod(spark.sparkProperties(), ours.appId());
    var executorRequests = executor.getSpec().getContainers().get(0).getResources().getRequests();
    var annotations = executor.getMetadata().getAnnotations();
    var g = job.gangScheduling().orElseThrow();
    assertThat(executor.getSpec().getSchedulerName()).isEqualTo(g.effectiveSchedulerName());
    if (g.scheduler() == GangScheduling.Scheduler.YUNIKORN) {
      var groups = JsonParser.parseString(taskGroups).getAsJsonArray();
      var driverGroup = groups.get(0).getAsJsonObject();
      assertThat(driverGroup.get("name").getAsString()).isEqualTo("spark-driver");
      assertThat(quantities(driverGroup.getAsJsonObject("minResource")))
          .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", driverRequests.get("cpu"),
              "memory", driverRequests.get("memory")));
      assertThat(annotations).containsEntry("yunikorn.apache.org/app-id", ours.appId());
      g.queue().ifPresent(q -> assertThat(executor.getMetadata().getLabels()).containsEntry("queue", q));
      if (groups.size() > 1) {
        var executorGroup = groups.get(1).getAsJsonObject();
        assertThat(executorGroup.get("name").getAsString()).isEqualTo("spark-executor");
        assertThat(quantities(executorGroup.getAsJsonObject("minResource")))
            .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", executorRequests.get("cpu"),
                "memory", executorRequests.get("memory")));
        assertThat(annotations).containsEntry("yunikorn.apache.org/task-group-name", "spark-executor");
      }
    } else {
      var pg = (io.sparkk8s.internal.compile.VolcanoPodGroup) ours.preResources().get(0);
      int executors = pg.getSpec().getMinMember() - 1;
      var min = pg.getSpec().getMinResources();
      assertThat(min.get("cpu").getNumber()).isEqualByComparingTo(driverRequests.get("cpu").getNumber()
          .add(executorRequests.get("cpu").getNumber().multiply(java.math.BigDecimal.valueOf(executors))));
      assertThat(min.get("memory").getNumber()).isEqualByComparingTo(driverRequests.get("memory")
          .getNumber().add(executorRequests.get("memory").getNumber()
              .multiply(java.math.BigDecimal.valueOf(executors))));
      assertThat(annotations).containsEntry("scheduling.k8s.io/group-name",
          pg.getMetadata().getName());
    }
    System.out.println("[conformance] " + job.sparkVersion() + " " + g.scheduler() + ": driver "
        + driverRequests + ", executor " + executorRequests + (taskGroups != null
            ? ", task groups " + taskGroups : ", PodGroup " + Manifests.pruned(ours.preResources().get(0))));
  }

  private static Map<String, io.kubernetes.client.custom.Quantity> quantities(
      com.google.gson.JsonObject resources) {
    Map<String, io.kubernetes.client.custom.Quantity> out = new TreeMap<>();
    resources.entrySet().forEach(e -> out.put(e.getKey(),
        new io.kubernetes.client.custom.Quantity(e.getValue().getAsString())));
    return out;
  }

  private static void compare(String what, Object ours, Object spark, Map<String, String> rename,
      List<String> out) {
    JsonElement o = Manifests.pruned(ours);
    JsonElement s = JsonParser.parseString(replaceAll(JSON.serialize(spark), rename));
    // Spark draws the local dir's uuid at random; the SDK derives it from the app id.
    String ourLocal = localDir(o.toString());
    if (ourLocal != null) {
      s = JsonParser.parseString(s.toString().replaceAll("/var/data/spark-[0-9a-f-]{36}", ourLocal));
    }
    JsonDiff.diff(o, s).forEach(d -> out.add(what + d));
  }

  private static String localDir(String json) {
    var m = Pattern.compile("/var/data/spark-[0-9a-f-]{36}").matcher(json);
    return m.find() ? m.group() : null;
  }

  private static String replaceAll(String s, Map<String, String> rename) {
    for (var e : rename.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  private static Map<String, String> parse(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    Map<String, String> m = new TreeMap<>();
    p.forEach((k, v) -> m.put(k.toString(), v.toString()));
    return m;
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> u = new java.util.TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private static List<String> names(List<Object> objects) {
    return names(objects, Map.of());
  }

  private static List<String> names(List<Object> objects, Map<String, String> rename) {
    return objects.stream().map(o -> replaceAll(
        ((io.kubernetes.client.common.KubernetesObject) o).getMetadata().getName(), rename)).sorted().toList();
  }
}
