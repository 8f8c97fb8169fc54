package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.sparkk8s.spec.GangConf;
import io.sparkk8s.spec.GangScheduling;
import java.util.List;
import java.util.Map;

/**
 * Volcano gang scheduling, doing what Spark's {@code VolcanoFeatureStep} does (read from its
 * source, {@code resource-managers/kubernetes/core/src/volcano}): a PodGroup
 * {@code <appId>-podgroup} in the job's namespace created before the driver, the driver's priority
 * class on it, and the annotation {@code scheduling.k8s.io/group-name} on the driver and (through
 * {@code spark.kubernetes.executor.annotation.*}) on every executor. Spark's step is compiled only
 * into builds made with {@code -Pvolcano}, so neither the released jar nor the official image can
 * run it; the SDK therefore creates the PodGroup itself. Where Spark reads {@code queue},
 * {@code minMember} and {@code minResources} from a PodGroup template file, the SDK fills them from
 * {@link GangScheduling}: 1 + the gang's executors, and their requests plus the driver's.
 */
public final class VolcanoPodGroupStep implements FeatureStep {
  private static boolean applies(DriverContext ctx) {
    return ctx.job().gangScheduling()
        .filter(g -> g.scheduler() == GangScheduling.Scheduler.VOLCANO).isPresent();
  }

  private static String groupName(DriverContext ctx) {
    return GangConf.podGroupName(ctx.names().appId());
  }

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    if (applies(ctx)) {
      sp.pod().getMetadata().putAnnotationsItem(GangConf.VOLCANO_GROUP, groupName(ctx));
    }
    return sp;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    // Spark runs the same step for each executor; the official image has no step, so the driver
    // is told through conf to annotate its executors.
    return applies(ctx) ? Map.of("spark.kubernetes.executor.annotation." + GangConf.VOLCANO_GROUP,
        groupName(ctx)) : Map.of();
  }

  @Override
  public List<KubernetesObject> preResources(DriverContext ctx) {
    if (!applies(ctx)) {
      return List.of();
    }
    GangScheduling g = ctx.job().gangScheduling().orElseThrow();
    int executors = GangConf.minExecutors(ctx.job());
    VolcanoPodGroup pg = new VolcanoPodGroup().metadata(new V1ObjectMeta().name(groupName(ctx))
        // Not set by Spark: lets a retried submit recognise the PodGroup as this job's.
        .putLabelsItem("spark-app-selector", ctx.names().appId()));
    pg.getSpec().minMember(1 + executors);
    GangConf.minResources(ctx.conf(), ctx.job(), executors).forEach(pg.getSpec()::putMinResourcesItem);
    g.queue().ifPresent(pg.getSpec()::queue);
    ctx.job().priorityClassName().ifPresent(pg.getSpec()::priorityClassName);
    return List.of(pg);
  }
}
