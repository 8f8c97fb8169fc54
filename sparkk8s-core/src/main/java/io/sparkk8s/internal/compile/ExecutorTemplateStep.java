package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.List;
import java.util.Map;

/**
 * The executor pod template. Spark has no conf for an executor's security context, tolerations,
 * priority class or {@code enableServiceLinks}; it takes them from a pod template file
 * ({@code spark.kubernetes.executor.podTemplateFile}). When a user gives {@code spark-submit} one,
 * Spark's {@code PodTemplateConfigMapStep} ships it in a ConfigMap mounted into the driver, and the
 * driver builds every executor on top of it. The SDK writes that template itself from the job and
 * ships it the same way, so executors get the same hardening as the driver, and no API token
 * ({@link ExecutorAccount}).
 */
public final class ExecutorTemplateStep implements FeatureStep {
  public static final String VOLUME = "pod-template-volume";
  public static final String KEY = "podspec-configmap-key";
  public static final String MOUNT_PATH = "/opt/spark/pod-template";
  public static final String FILE_NAME = "pod-spec-template.yml";
  public static final String EXECUTOR_CONTAINER = "spark-kubernetes-executor";

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    sp.pod().getSpec().addVolumesItem(new V1Volume().name(VOLUME).configMap(
        new V1ConfigMapVolumeSource().name(ctx.names().podTemplateConfigMapName())
            .addItemsItem(new V1KeyToPath().key(KEY).path(FILE_NAME))));
    sp.container().addVolumeMountsItem(new V1VolumeMount().name(VOLUME).mountPath(MOUNT_PATH));
    return sp;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    return Map.of("spark.kubernetes.executor.podTemplateFile", MOUNT_PATH + "/" + FILE_NAME);
  }

  @Override
  public List<KubernetesObject> additionalResources(DriverContext ctx) {
    return List.of(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(new V1ObjectMeta().name(ctx.names().podTemplateConfigMapName()))
        .immutable(true)
        .putDataItem(KEY, templateYaml(ctx)));
  }

  /** The template, as YAML the driver's fabric8 client reads. */
  public static String templateYaml(DriverContext ctx) {
    V1PodSpec spec = new V1PodSpec();
    V1Container container = new V1Container().name(EXECUTOR_CONTAINER);
    PodHardening.applyToPod(spec, ctx.job());
    PodHardening.applyToContainer(container, ctx.job());
    ExecutorAccount.apply(spec, ctx.job().executorServiceAccount(), ctx.job().executor());
    spec.addContainersItem(container);
    return Manifests.cachedYaml(new V1Pod().apiVersion("v1").kind("Pod").spec(spec));
  }
}
