package io.sparkk8s.oracle.bridge;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.k8s.KubernetesConf$;
import org.apache.spark.deploy.k8s.KubernetesExecutorConf;
import org.apache.spark.deploy.k8s.KubernetesExecutorSpec;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfile$;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;
import scala.Option;

/**
 * Builds executor 1's pod as Spark's driver would ({@code ExecutorPodsAllocator}: {@code
 * KubernetesConf.createExecutorConf}, then {@code KubernetesExecutorBuilder.buildFromFeatures}
 * with the default resource profile), from the driver's {@code spark.properties}. Like
 * {@link SparkSubmitBridge}, compiled at test time against one Spark version and loaded into its
 * class loader; only JDK types cross.
 *
 * <p>The executor pod template ({@code spark.kubernetes.executor.podTemplateFile}) is read when
 * the property names a local file, through a fabric8 client that never connects ({@code load}
 * parses the file); otherwise (the driver's in-pod path) it is left out.
 */
public final class ExecutorPodBridge {
  private ExecutorPodBridge() {}

  /**
   * @param properties the driver's {@code spark.properties}
   * @param appId {@code spark.app.id}
   * @return the executor pod, with its container, as JSON
   */
  public static String executorPod(Map<String, String> properties, String appId) {
    SparkConf conf = new SparkConf(false);
    properties.forEach(conf::set);
    String template = properties.get("spark.kubernetes.executor.podTemplateFile");
    boolean readTemplate = template != null && new java.io.File(template).isFile();
    if (!readTemplate) {
      conf.remove("spark.kubernetes.executor.podTemplateFile");
    }
    // The default profile is cached per JVM (per class loader here): rebuild it from this conf.
    ResourceProfile$.MODULE$.clearDefaultProfile();
    ResourceProfile profile = ResourceProfile$.MODULE$.getOrCreateDefaultProfile(conf);
    KubernetesExecutorConf executorConf = KubernetesConf$.MODULE$.createExecutorConf(
        conf, "1", appId, Option.<Pod>empty(), profile.id());
    SecurityManager security = new SecurityManager(conf, Option.<byte[]>empty(),
        org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE());
    KubernetesExecutorSpec spec;
    if (readTemplate) {
      try (io.fabric8.kubernetes.client.KubernetesClient client =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
              new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                  .build()).build()) {
        spec = new KubernetesExecutorBuilder().buildFromFeatures(executorConf, security, client,
            profile);
      }
    } else {
      spec = new KubernetesExecutorBuilder().buildFromFeatures(executorConf, security, null, profile);
    }
    Pod pod = new PodBuilder(spec.pod().pod()).editOrNewSpec()
        .addToContainers(spec.pod().container()).endSpec().build();
    return new KubernetesSerialization().asJson(pod);
  }
}
