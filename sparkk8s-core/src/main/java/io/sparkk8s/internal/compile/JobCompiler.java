package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.validate.PropertiesText;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Folds the feature steps over an empty pod, in Spark's order ({@code KubernetesDriverBuilder}),
 * then adds the properties ConfigMap and its volume as Spark's {@code Client.run} does before it
 * creates the driver.
 */
public final class JobCompiler {
  /** Spark's steps in Spark's order, then the SDK's own. */
  static final List<FeatureStep> STEPS = List.of(
      new BasicDriverStep(),
      new DriverServiceAccountStep(),
      new DriverServiceStep(),
      new MountSecretsStep(),
      new EnvSecretsStep(),
      new MountVolumesStep(),
      new DriverCommandStep(),
      new HadoopConfStep(),
      new ExecutorTemplateStep(),
      new LocalDirsStep(),
      new VolcanoPodGroupStep(),
      new NetworkPolicyStep(),
      new SparkAuthStep(),
      new PodDefaultsStep());

  public static final String CONF_VOLUME = "spark-conf-volume-driver";
  public static final String CONF_DIR = "/opt/spark/conf";
  public static final String PROPERTIES_KEY = "spark.properties";

  private JobCompiler() {}

  /**
   * The result of a compile: the objects in creation order (those created before the driver, the
   * driver, those created after it) and the driver's properties.
   */
  public record Output(
      DriverContext context,
      List<KubernetesObject> preResources,
      V1Pod driverPod,
      List<KubernetesObject> resources,
      V1ConfigMap configMap,
      TreeMap<String, String> sparkProperties) {}

  public static Output compile(SparkJob job) {
    DriverContext ctx = DriverContext.of(job);
    SparkPod sp = SparkPod.initial();
    TreeMap<String, String> properties = new TreeMap<>(ctx.conf());
    List<KubernetesObject> resources = new ArrayList<>();
    List<KubernetesObject> pre = new ArrayList<>();
    for (FeatureStep step : STEPS) {
      sp = step.configurePod(sp, ctx);
      properties.putAll(step.systemProperties(ctx));
      resources.addAll(step.additionalResources(ctx));
      pre.addAll(step.preResources(ctx));
    }

    String cmName = ctx.names().configMapName();
    V1ConfigMap configMap = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(new V1ObjectMeta().name(cmName))
        .immutable(true)
        .putDataItem(PROPERTIES_KEY, PropertiesText.of(properties,
            "Java properties built from Kubernetes config map with name: " + cmName))
        .putDataItem("spark.kubernetes.namespace", job.namespace());

    var container = sp.container();
    container.addEnvItem(BasicDriverStep.env("SPARK_CONF_DIR", CONF_DIR));
    container.addVolumeMountsItem(new V1VolumeMount().name(CONF_VOLUME).mountPath(CONF_DIR));
    V1Pod pod = sp.pod().apiVersion("v1").kind("Pod");
    pod.getSpec().addContainersItem(container);
    pod.getSpec().addVolumesItem(new V1Volume().name(CONF_VOLUME).configMap(
        new V1ConfigMapVolumeSource().name(cmName).addItemsItem(
            new V1KeyToPath().key(PROPERTIES_KEY).path(PROPERTIES_KEY).mode(420))));

    resources.add(configMap);
    pod.getMetadata().setNamespace(job.namespace());
    for (KubernetesObject o : resources) {
      o.getMetadata().setNamespace(job.namespace());
    }
    for (KubernetesObject o : pre) {
      o.getMetadata().setNamespace(job.namespace());
    }
    return new Output(ctx, List.copyOf(pre), pod, List.copyOf(resources), configMap, properties);
  }
}
