package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rules of a {@link SparkJob} about its scheduler: Spark's Volcano step, which no released
 * Spark carries, and what {@link SparkJob#gangScheduling()} owns.
 */
final class SchedulerChecks {
  private SchedulerChecks() {}

  static void check(Checks c, JobDescription job) {
    checkSchedulerConf(c, job);
    job.gangScheduling().ifPresent(g -> checkGang(c, job, g));
  }

  /** Spark's Volcano step, which Spark's released jar and official image do not contain. */
  static final String VOLCANO_STEP = "org.apache.spark.deploy.k8s.features.VolcanoFeatureStep";

  private static void checkSchedulerConf(Checks c, JobDescription job) {
    for (String key : List.of("spark.kubernetes.driver.pod.featureSteps",
        "spark.kubernetes.executor.pod.featureSteps")) {
      String steps = job.sparkConf().get(key);
      c.require(steps == null || !steps.contains(VOLCANO_STEP), "sparkConf[" + key + "]", steps,
          "VolcanoFeatureStep is not in Spark's released jar nor the apache/spark image (it needs a"
              + " -Pvolcano build); use gangScheduling(GangScheduling.volcano())");
    }
    String template = "spark.kubernetes.scheduler.volcano.podGroupTemplateFile";
    c.require(!job.sparkConf().containsKey(template), "sparkConf", template,
        "is read only by VolcanoFeatureStep, which the apache/spark image does not contain; use"
            + " gangScheduling(GangScheduling.volcano().withQueue(...))");
  }

  private static void checkGang(Checks c, JobDescription job, GangScheduling g) {
    for (String key : List.of("spark.kubernetes.scheduler.name",
        "spark.kubernetes.driver.scheduler.name", "spark.kubernetes.executor.scheduler.name")) {
      c.require(!job.sparkConf().containsKey(key), "sparkConf", key,
          "is set by gangScheduling; give another scheduler name with"
              + " GangScheduling.withSchedulerName instead");
    }
    String scheduler = g.scheduler().name().toLowerCase(Locale.ROOT);
    Set<String> ownedLabels = GangConf.labels(g.scheduler());
    Set<String> ownedAnnotations = GangConf.annotations(g.scheduler());
    BiConsumer<String, Map<String, String>> labels = (at, m) ->
        m.keySet().stream().filter(ownedLabels::contains)
            .forEach(k -> c.fail(at, k, "is a label the " + scheduler + " gang scheduling of this"
                + " job sets or reads; set the queue with GangScheduling.withQueue"));
    BiConsumer<String, Map<String, String>> annotations = (at, m) ->
        m.keySet().stream().filter(ownedAnnotations::contains)
            .forEach(k -> c.fail(at, k, "is an annotation the " + scheduler + " gang scheduling of"
                + " this job sets or reads; use the GangScheduling attributes instead"));
    labels.accept("labels", job.labels());
    labels.accept("driver.labels", job.driver().labels());
    labels.accept("executor.labels", job.executor().labels());
    annotations.accept("annotations", job.annotations());
    annotations.accept("driver.annotations", job.driver().annotations());
    annotations.accept("executor.annotations", job.executor().annotations());
    for (String role : List.of("driver", "executor")) {
      String labelPrefix = "spark.kubernetes." + role + ".label.";
      String annotationPrefix = "spark.kubernetes." + role + ".annotation.";
      job.sparkConf().keySet().forEach(k -> {
        if ((k.startsWith(labelPrefix) && ownedLabels.contains(k.substring(labelPrefix.length())))
            || (k.startsWith(annotationPrefix)
                && ownedAnnotations.contains(k.substring(annotationPrefix.length())))) {
          c.fail("sparkConf", k, "is set by the " + scheduler + " gang scheduling of this job; use"
              + " the GangScheduling attributes instead");
        }
      });
    }
    g.minExecutors().ifPresent(min -> {
      if (job.dynamicAllocation().isPresent()) {
        job.dynamicAllocation().get().maxExecutors().ifPresent(max -> c.require(min <= max,
            "gangScheduling.minExecutors", min, "must be at most dynamicAllocation.maxExecutors ("
                + max + "): the gang would wait for executors Spark never asks for"));
      } else {
        int instances = job.executor().instances().orElse(2);
        String which = job.executor().instances().isEmpty() ? ", Spark's default" : "";
        c.require(min <= instances, "gangScheduling.minExecutors", min,
            "must be at most executor.instances (" + instances + which + "): the gang would wait"
                + " for executors Spark never asks for");
      }
    });
  }
}
