package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Spark's scratch directories, as Spark's {@code LocalDirsFeatureStep}: volumes the user named
 * {@code spark-local-dir-*} are used as they are; otherwise each directory of
 * {@code spark.local.dir} (by default one {@code /var/data/spark-<uuid>}) gets an emptyDir. The
 * uuid is derived from the application id instead of drawn at random, so output is deterministic.
 */
public final class LocalDirsStep implements FeatureStep {
  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    var c = sp.container();
    List<String> dirs = new ArrayList<>();
    if (c.getVolumeMounts() != null) {
      c.getVolumeMounts().stream().filter(m -> m.getName().startsWith("spark-local-dir-"))
          .forEach(m -> dirs.add(m.getMountPath()));
    }
    if (dirs.isEmpty()) {
      String configured = ctx.conf().getOrDefault("spark.local.dir", "/var/data/spark-"
          + UUID.nameUUIDFromBytes(ctx.names().appId().getBytes(StandardCharsets.UTF_8)));
      boolean tmpfs = Boolean.parseBoolean(ctx.conf().getOrDefault("spark.kubernetes.local.dirs.tmpfs", "false"));
      String[] parts = configured.split(",");
      for (int i = 0; i < parts.length; i++) {
        String name = "spark-local-dir-" + (i + 1);
        sp.pod().getSpec().addVolumesItem(new V1Volume().name(name)
            .emptyDir(new V1EmptyDirVolumeSource().medium(tmpfs ? "Memory" : null)));
        c.addVolumeMountsItem(new V1VolumeMount().name(name).mountPath(parts[i]));
        dirs.add(parts[i]);
      }
    }
    c.addEnvItem(BasicDriverStep.env("SPARK_LOCAL_DIRS", String.join(",", dirs)));
    return sp;
  }
}
