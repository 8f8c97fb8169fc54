package io.sparkk8s.internal.compile;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.sparkk8s.validate.Quantities;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver pod's name, image, ports, resources, labels, annotations, node selector and basic
 * environment, as Spark's {@code BasicDriverFeatureStep}.
 */
public final class BasicDriverStep implements FeatureStep {
  public static final String CONTAINER_NAME = "spark-kubernetes-driver";

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    var c = sp.container();
    if (c.getName() == null) {
      c.setName(CONTAINER_NAME);
    }
    c.setImage(ctx.job().containerImage());
    c.setImagePullPolicy(ctx.conf().getOrDefault("spark.kubernetes.container.image.pullPolicy",
        "IfNotPresent"));
    port(c, "driver-rpc-port", ctx.driverPort());
    port(c, "blockmanager", ctx.blockManagerPort());
    port(c, "spark-ui", ctx.uiPort());
    if (ctx.sparkMajor() >= 4) {
      port(c, "spark-connect", ctx.connectPort());
    }
    c.addEnvItem(env("SPARK_USER", ctx.job().sparkUser()));
    c.addEnvItem(env("SPARK_APPLICATION_ID", ctx.names().appId()));
    ctx.prefixed("spark.kubernetes.driverEnv.").forEach((k, v) -> c.addEnvItem(env(k, v)));
    c.addEnvItem(new V1EnvVar().name("SPARK_DRIVER_BIND_ADDRESS").valueFrom(new V1EnvVarSource()
        .fieldRef(new V1ObjectFieldSelector().apiVersion("v1").fieldPath("status.podIP"))));

    var resources = c.getResources() == null ? new V1ResourceRequirements() : c.getResources();
    String cpuRequest = ctx.conf().getOrDefault("spark.kubernetes.driver.request.cores",
        ctx.conf().getOrDefault("spark.driver.cores", "1"));
    Quantity memory = Quantities.parse(ctx.driverMemoryWithOverheadMib() + "Mi");
    resources.putRequestsItem("cpu", Quantities.parse(cpuRequest));
    String limit = ctx.conf().get("spark.kubernetes.driver.limit.cores");
    if (limit != null) {
      resources.putLimitsItem("cpu", Quantities.parse(limit));
    }
    resources.putRequestsItem("memory", memory);
    resources.putLimitsItem("memory", memory);
    customResources(ctx).forEach(resources::putLimitsItem);
    c.setResources(resources);

    var meta = sp.pod().getMetadata();
    meta.setName(ctx.names().driverPodName());
    ctx.driverLabels().forEach(meta::putLabelsItem);
    ctx.prefixed("spark.kubernetes.driver.annotation.")
        .forEach((k, v) -> meta.putAnnotationsItem(k, ctx.substituteAppId(v)));

    var spec = sp.pod().getSpec();
    spec.setRestartPolicy("Never");
    ctx.prefixed("spark.kubernetes.node.selector.").forEach(spec::putNodeSelectorItem);
    ctx.prefixed("spark.kubernetes.driver.node.selector.").forEach(spec::putNodeSelectorItem);
    String pullSecrets = ctx.conf().get("spark.kubernetes.container.image.pullSecrets");
    if (pullSecrets != null) {
      Arrays.stream(pullSecrets.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .forEach(s -> spec.addImagePullSecretsItem(new V1LocalObjectReference().name(s)));
    }
    String scheduler = ctx.conf().getOrDefault("spark.kubernetes.driver.scheduler.name",
        ctx.conf().get("spark.kubernetes.scheduler.name"));
    if (scheduler != null) {
      spec.setSchedulerName(scheduler);
    }
    return sp;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spark.kubernetes.driver.pod.name", ctx.names().driverPodName());
    props.put("spark.app.id", ctx.names().appId());
    props.put("spark.kubernetes.submitInDriver", "true");
    props.put("spark.kubernetes.memoryOverheadFactor", Double.toString(ctx.defaultOverheadFactor()));
    return props;
  }

  /** {@code spark.driver.resource.<name>.amount} with a vendor becomes a limit {@code vendor/name}. */
  private static Map<String, Quantity> customResources(DriverContext ctx) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    Map<String, String> res = ctx.prefixed("spark.driver.resource.");
    res.forEach((k, v) -> {
      if (k.endsWith(".amount")) {
        String name = k.substring(0, k.length() - ".amount".length());
        String vendor = res.get(name + ".vendor");
        if (vendor != null) {
          out.put(vendor + "/" + name, Quantities.parse(v));
        }
      }
    });
    return out;
  }

  static V1EnvVar env(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }

  private static void port(io.kubernetes.client.openapi.models.V1Container c, String name, int port) {
    c.addPortsItem(new V1ContainerPort().name(name).containerPort(port).protocol("TCP"));
  }
}
