package io.sparkk8s.oracle.bridge;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkSubmit;
import org.apache.spark.deploy.SparkSubmit$;
import org.apache.spark.deploy.SparkSubmitArguments;
import org.apache.spark.deploy.k8s.KubernetesConf$;
import org.apache.spark.deploy.k8s.KubernetesDriverConf;
import org.apache.spark.deploy.k8s.submit.Client;
import org.apache.spark.deploy.k8s.submit.ClientArguments;
import org.apache.spark.deploy.k8s.submit.ClientArguments$;
import org.apache.spark.deploy.k8s.submit.KubernetesClientUtils$;
import org.apache.spark.deploy.k8s.submit.KubernetesDriverBuilder;
import org.apache.spark.deploy.k8s.submit.LoggingPodStatusWatcherImpl;
import scala.Option;
import scala.Tuple4;

/**
 * Runs Apache Spark's own cluster-mode submission for Kubernetes, offline, and returns what it
 * would have sent to the API server.
 *
 * <p>This class is NOT part of the test classpath. {@code SparkReference} compiles it at test
 * time against one Spark version's jars and loads it into that version's isolated class loader.
 * The same source compiles against Spark 3.5 (Scala 2.12, fabric8 6) and Spark 4.1 (Scala 2.13,
 * fabric8 7): it only uses what both have in common. Only JDK types cross the class-loader
 * boundary ({@link #submit}'s parameters and result).
 *
 * <p>The path mirrors what {@code bin/spark-submit} runs, calling Spark's code at every step:
 * <ol>
 *   <li>{@code SparkSubmit.doSubmit}: {@code new SparkSubmitArguments(args, env)}, then
 *       {@code SparkSubmit.runMain}: {@code prepareSubmitEnvironment(args)}, which for k8s cluster
 *       mode yields {@code KubernetesClientApplication} as the child main class, its child args
 *       ({@code --primary-java-resource}, {@code --main-class}, {@code --arg}, ...) and the conf;
 *   <li>{@code KubernetesClientApplication.start/run}: {@code ClientArguments.fromCommandLineArgs},
 *       {@code KubernetesConf.createDriverConf}, then {@code new Client(conf, new
 *       KubernetesDriverBuilder(), kubernetesClient, watcher).run()}.
 * </ol>
 * Only two things differ from {@code KubernetesClientApplication.run}: the application id is the
 * caller's instead of {@code KubernetesConf.getKubernetesAppId()}, and the Kubernetes client is a
 * {@link RecordingKubernetesClient} instead of one built by {@code SparkKubernetesClientFactory}.
 * {@code Client.run} itself runs unchanged, so the ConfigMap, the conf volume, the
 * {@code SPARK_CONF_DIR} env var and the owner references are Spark's own doing.
 *
 * <p>Two more stand-ins keep it offline and independent of the test JVM: the conf is an
 * {@link EnvironmentSparkConf} (environment variables come from the caller), and the remote Hadoop
 * file systems that spark-submit globs dependencies on are {@link OfflineFileSystem}s (configured
 * by the core-site.xml next to this source).
 */
public final class SparkSubmitBridge {

  /** {@code SparkSubmit.KUBERNETES_CLUSTER_SUBMIT_CLASS}. */
  private static final String KUBERNETES_CLUSTER_SUBMIT_CLASS =
      SparkSubmit$.MODULE$.KUBERNETES_CLUSTER_SUBMIT_CLASS();

  private SparkSubmitBridge() {}

  /** {@code org.apache.spark.SPARK_VERSION} of the Spark on this class loader. */
  public static String sparkVersion() {
    return org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  /**
   * Submits, offline.
   *
   * @param sparkSubmitArgs what follows {@code spark-submit} on its command line
   * @param appId used as {@code spark.app.id}
   * @param environment the environment variables spark-submit sees (for {@code SparkSubmitArguments}
   *     and {@code SparkConf.getenv}: {@code SPARK_CONF_DIR}, {@code HADOOP_CONF_DIR}, ...)
   * @param driverPodUid the uid the recording client gives the created driver pod
   * @return {@code sparkVersion}, {@code resourceNamePrefix}, {@code configMapName},
   *     {@code namespace}, {@code driverPod} (JSON), {@code configMap} (JSON),
   *     {@code otherResources} (list of JSON), {@code calls} (the recorded calls, as text)
   */
  public static Map<String, Object> submit(
      List<String> sparkSubmitArgs,
      String appId,
      Map<String, String> environment,
      String driverPodUid) {
    // SparkSubmit.doSubmit -> parseArguments.
    SparkSubmitArguments arguments =
        new SparkSubmitArguments(Scala.list(sparkSubmitArgs), Scala.immutableMap(environment));
    if (!"SUBMIT".equals(String.valueOf(arguments.action()))) {
      throw new IllegalArgumentException(
          "spark-submit would not submit an application but run action " + arguments.action());
    }

    // SparkSubmit.runMain -> prepareSubmitEnvironment.
    Tuple4<? extends scala.collection.Iterable<String>, ?, SparkConf, String> prepared =
        new SparkSubmit().prepareSubmitEnvironment(arguments, Option.empty());
    String childMainClass = prepared._4();
    if (!KUBERNETES_CLUSTER_SUBMIT_CLASS.equals(childMainClass)) {
      throw new IllegalArgumentException(
          "not a Kubernetes cluster-mode submission: spark-submit would run " + childMainClass
              + " (use --master k8s://... --deploy-mode cluster)");
    }
    String[] childArgs = Scala.toArray(prepared._1());
    // Same settings; only getenv() answers from `environment` instead of System.getenv.
    SparkConf sparkConf = EnvironmentSparkConf.copyOf(prepared._3(), environment);

    // KubernetesClientApplication.start -> run.
    ClientArguments clientArguments = ClientArguments$.MODULE$.fromCommandLineArgs(childArgs);
    KubernetesDriverConf conf = KubernetesConf$.MODULE$.createDriverConf(
        sparkConf,
        appId,
        clientArguments.mainAppResource(),
        clientArguments.mainClass(),
        clientArguments.driverArgs(),
        clientArguments.proxyUser());
    RecordingKubernetesClient recorder =
        new RecordingKubernetesClient(conf.namespace(), driverPodUid);
    Client client = new Client(
        conf, new KubernetesDriverBuilder(), recorder.client(), new LoggingPodStatusWatcherImpl(conf));
    try {
      client.run();
    } catch (RecordingKubernetesClient.SubmissionDone done) {
      // Client.run reached the point where spark-submit starts watching the driver pod.
    }

    String configMapName = KubernetesClientUtils$.MODULE$.configMapNameDriver();
    return result(recorder, conf, configMapName);
  }

  /**
   * Client.run makes these calls, in this order: apply(pre-resources); create(driver pod);
   * apply(pre-resources, now owned by the pod); apply(driverKubernetesResources + ConfigMap, owned
   * by the pod); then it watches the pod.
   */
  private static Map<String, Object> result(
      RecordingKubernetesClient recorder, KubernetesDriverConf conf, String configMapName) {
    List<RecordingKubernetesClient.Call> calls = recorder.calls();
    int create = -1;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).verb().equals("create")) {
        create = i;
        break;
      }
    }
    if (create < 0 || calls.size() < create + 3) {
      throw new IllegalStateException(
          "Spark's Client.run made unexpected Kubernetes calls: " + recorder.describeCalls());
    }
    // JSON as recorded when each call was made, i.e. exactly what Spark sent.
    List<String> otherResources = new ArrayList<>(calls.get(create + 1).json());
    String configMap = null;
    RecordingKubernetesClient.Call last = calls.get(create + 2);
    for (int i = 0; i < last.objects().size(); i++) {
      HasMetadata resource = last.objects().get(i);
      if (resource instanceof ConfigMap && configMapName.equals(resource.getMetadata().getName())) {
        configMap = last.json().get(i);
      } else {
        otherResources.add(last.json().get(i));
      }
    }
    if (configMap == null) {
      throw new IllegalStateException("Spark applied no ConfigMap " + configMapName + ": "
          + recorder.describeCalls());
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("sparkVersion", sparkVersion());
    result.put("resourceNamePrefix", conf.resourceNamePrefix());
    result.put("configMapName", configMapName);
    result.put("namespace", conf.namespace());
    result.put("driverPod", calls.get(create).json().get(0));
    result.put("configMap", configMap);
    result.put("otherResources", otherResources);
    result.put("calls", recorder.describeCalls());
    return result;
  }
}
