package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.sparkk8s.conf.ConfValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The headless Service executors reach the driver through, and the driver's host and ports in its
 * properties, as Spark's {@code DriverServiceFeatureStep}.
 */
public final class DriverServiceStep implements FeatureStep {

  @Override
  public SparkPod configurePod(SparkPod pod, DriverContext ctx) {
    return pod;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    return Map.of(
        "spark.driver.host", ctx.names().driverServiceName() + "." + ctx.job().namespace() + ".svc",
        "spark.driver.port", Integer.toString(ctx.driverPort()),
        "spark.driver.blockManager.port", Integer.toString(serviceBlockManagerPort(ctx)));
  }

  @Override
  public List<KubernetesObject> additionalResources(DriverContext ctx) {
    var meta = new V1ObjectMeta().name(ctx.names().driverServiceName());
    ctx.prefixed("spark.kubernetes.driver.service.annotation.").forEach(meta::putAnnotationsItem);
    meta.putLabelsItem("spark-app-selector", ctx.names().appId());
    ctx.prefixed("spark.kubernetes.driver.service.label.").forEach(meta::putLabelsItem);
    var spec = new V1ServiceSpec()
        .clusterIP("None")
        .ipFamilyPolicy(ctx.conf().getOrDefault("spark.kubernetes.driver.service.ipFamilyPolicy",
            "SingleStack"))
        .ipFamilies(Arrays.asList(ctx.conf()
            .getOrDefault("spark.kubernetes.driver.service.ipFamilies", "IPv4").split(",")))
        .selector(ctx.driverLabels());
    port(spec, "driver-rpc-port", ctx.driverPort());
    port(spec, "blockmanager", serviceBlockManagerPort(ctx));
    port(spec, "spark-ui", ctx.uiPort());
    if (ctx.sparkMajor() >= 4) {
      port(spec, "spark-connect", ctx.connectPort());
    }
    return List.of(new V1Service().apiVersion("v1").kind("Service").metadata(meta).spec(spec));
  }

  /**
   * Spark's service step reads only {@code spark.driver.blockManager.port}, while the container
   * port also falls back to {@code spark.blockManager.port}; the SDK follows Spark.
   */
  private static int serviceBlockManagerPort(DriverContext ctx) {
    return ConfValues.intConf(ctx.conf(), "spark.driver.blockManager.port",
        ConfValues.DEFAULT_BLOCK_MANAGER_PORT);
  }

  private static void port(V1ServiceSpec spec, String name, int port) {
    spec.addPortsItem(new V1ServicePort().name(name).port(port).targetPort(new IntOrString(port)));
  }
}
