package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1NFSVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.storage.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The driver's volumes from {@code spark.kubernetes.driver.volumes.*}, as Spark's
 * {@code MountVolumesFeatureStep}, including on-demand claims ({@code claimName=OnDemand} with a
 * storage class and size), which are created with the driver and owned by it.
 */
public final class MountVolumesStep implements FeatureStep {
  private static final String PREFIX = "spark.kubernetes.driver.volumes.";

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    List<Volume> volumes = driverVolumes(ctx);
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      var mount = new V1VolumeMount().name(v.name()).mountPath(v.mountPath()).readOnly(v.readOnly());
      v.subPath().ifPresent(mount::subPath);
      sp.container().addVolumeMountsItem(mount);
      sp.pod().getSpec().addVolumesItem(volume(v, i, ctx));
    }
    return sp;
  }

  @Override
  public List<KubernetesObject> additionalResources(DriverContext ctx) {
    List<KubernetesObject> claims = new ArrayList<>();
    List<Volume> volumes = driverVolumes(ctx);
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      Map<String, String> o = v.options();
      if (v.type() == Volume.Type.PERSISTENT_VOLUME_CLAIM && o.containsKey("storageClass")
          && o.containsKey("sizeLimit")) {
        claims.add(new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim")
            .metadata(new V1ObjectMeta().name(claimName(v, i, ctx))
                .putLabelsItem("spark-app-selector", ctx.names().appId()))
            .spec(new V1PersistentVolumeClaimSpec()
                .storageClassName(o.get("storageClass"))
                .accessModes(List.of(Boolean.parseBoolean(ctx.conf().getOrDefault(
                    "spark.kubernetes.legacy.useReadWriteOnceAccessMode",
                    // Spark 3.5 defaults to the legacy mode, Spark 4 to ReadWriteOncePod.
                    Boolean.toString(ctx.sparkMajor() < 4)))
                    ? "ReadWriteOnce" : "ReadWriteOncePod"))
                .resources(new V1VolumeResourceRequirements()
                    .putRequestsItem("storage", new Quantity(o.get("sizeLimit"))))));
      }
    }
    return claims;
  }

  /** The job's volumes that the driver mounts, in conf order as Spark parses them. */
  private static List<Volume> driverVolumes(DriverContext ctx) {
    boolean any = ctx.conf().keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    if (!any) {
      return List.of();
    }
    return ctx.job().volumes().stream().filter(v -> v.mountOn().driver())
        .sorted(java.util.Comparator.comparing(v -> v.type().sparkName() + "." + v.name()))
        .toList();
  }

  private static V1Volume volume(Volume v, int index, DriverContext ctx) {
    Map<String, String> o = v.options();
    var vol = new V1Volume().name(v.name());
    switch (v.type()) {
      case HOST_PATH -> vol.hostPath(new V1HostPathVolumeSource().path(o.get("path"))
          .type(o.getOrDefault("type", "")));
      case EMPTY_DIR -> vol.emptyDir(new V1EmptyDirVolumeSource().medium(o.getOrDefault("medium", ""))
          .sizeLimit(o.containsKey("sizeLimit") ? new Quantity(o.get("sizeLimit")) : null));
      case NFS -> vol.nfs(new V1NFSVolumeSource().server(o.get("server")).path(o.get("path")));
      case PERSISTENT_VOLUME_CLAIM -> vol.persistentVolumeClaim(
          new V1PersistentVolumeClaimVolumeSource().claimName(claimName(v, index, ctx))
              .readOnly(v.readOnly()));
    }
    return vol;
  }

  private static String claimName(Volume v, int index, DriverContext ctx) {
    return v.options().get("claimName")
        .replace("OnDemand", ctx.names().resourcePrefix() + "-driver-pvc-" + index);
  }
}
