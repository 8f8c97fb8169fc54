package io.sparkk8s.internal.compile;

import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.conf.PodResources;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.JobNames;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.StorageExpansion;
import io.sparkk8s.spec.SubmitConf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;

/**
 * What every driver feature step reads: the job, its names, the submit-side conf and the values
 * Spark derives from them ({@code KubernetesDriverConf}'s role). Immutable.
 */
public final class DriverContext {
  private final SparkJob job;
  private final JobNames names;
  private final NavigableMap<String, String> conf;
  private final int sparkMajor;
  private final boolean drawsAuthKey;

  private DriverContext(SparkJob job, JobNames names, NavigableMap<String, String> conf,
      boolean drawsAuthKey) {
    this.job = job;
    this.names = names;
    this.drawsAuthKey = drawsAuthKey;
    this.conf = Collections.unmodifiableNavigableMap(conf);
    this.sparkMajor = Integer.parseInt(job.sparkVersion().substring(0, job.sparkVersion().indexOf('.')));
  }

  /** The context of {@code job}. */
  public static DriverContext of(SparkJob job) {
    // Names (and the derived app id) come from the description as the caller wrote it; the steps
    // see its storage expanded into conf, volumes and secrets.
    JobNames names = JobNames.of(job);
    SparkJob expanded = job.withStorageExpanded();
    return new DriverContext(expanded, names, SubmitConf.of(expanded, names),
        StorageExpansion.drawsAuthKey(job));
  }

  /**
   * Whether the client draws the key of the job's Spark authentication into a Secret of its own
   * ({@link SparkAuthStep}); the expanded {@link #job()} no longer tells.
   */
  public boolean drawsAuthKey() {
    return drawsAuthKey;
  }

  public SparkJob job() {
    return job;
  }

  public JobNames names() {
    return names;
  }

  /** The submit-side Spark conf. */
  public SortedMap<String, String> conf() {
    return conf;
  }

  /** The major version of Spark the job runs, which decides version-specific behaviour. */
  public int sparkMajor() {
    return sparkMajor;
  }

  public boolean python() {
    return job.application().kind() == Application.Kind.PYTHON;
  }

  /** The labels every driver object is selected by, as {@code KubernetesDriverConf.labels}. */
  public Map<String, String> driverLabels() {
    Map<String, String> labels = new LinkedHashMap<>(prefixed("spark.kubernetes.driver.label."));
    labels.replaceAll((k, v) -> substituteAppId(v));
    labels.put("spark-version", job.sparkVersion());
    labels.put("spark-app-selector", names.appId());
    labels.put("spark-app-name", names.appNameLabel());
    labels.put("spark-role", "driver");
    return labels;
  }

  /** Conf entries under {@code prefix}, with the prefix removed. */
  public Map<String, String> prefixed(String prefix) {
    // Sorted: the keys under the prefix are the first ones of the tail, and the rest is not read;
    // most prefixes have no key at all (about ten lookups a compile).
    String first = conf.ceilingKey(prefix);
    if (first == null || !first.startsWith(prefix)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : conf.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.put(e.getKey().substring(prefix.length()), e.getValue());
    }
    return out;
  }

  /** Spark's {@code Utils.substituteAppNExecIds} for the driver (no executor id). */
  public String substituteAppId(String value) {
    return value.replace("{{APP_ID}}", names.appId()).replace("{{EXECUTOR_ID}}", "");
  }

  public int driverPort() {
    return ConfValues.intConf(conf, "spark.driver.port", ConfValues.DEFAULT_DRIVER_PORT);
  }

  public int blockManagerPort() {
    return ConfValues.intConf(conf, "spark.driver.blockManager.port",
        ConfValues.intConf(conf, "spark.blockManager.port", ConfValues.DEFAULT_BLOCK_MANAGER_PORT));
  }

  public int uiPort() {
    return ConfValues.intConf(conf, "spark.ui.port", ConfValues.DEFAULT_UI_PORT);
  }

  public int connectPort() {
    return ConfValues.intConf(conf, "spark.connect.grpc.binding.port",
        ConfValues.DEFAULT_CONNECT_PORT);
  }

  /**
   * The overhead factor Spark applies when no overhead is given: {@code
   * spark.kubernetes.memoryOverheadFactor}, 0.1 for the JVM and 0.4 for Python unless set.
   */
  public double defaultOverheadFactor() {
    return PodResources.defaultOverheadFactor(conf, python());
  }

  /** Driver memory with overhead, in MiB, as {@code BasicDriverFeatureStep} computes it. */
  public long driverMemoryWithOverheadMib() {
    return PodResources.driverMemoryMib(conf, python());
  }
}
