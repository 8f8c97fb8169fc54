package io.sparkk8s.storage;

import io.sparkk8s.validate.SparkVersions;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Shared storage that Spark reads and writes through a Hadoop file system: Google Cloud Storage,
 * S3 (or any S3-compatible store), HDFS, or an NFS export mounted into the pods.
 *
 * <pre>{@code
 * StorageBackend logs = GcsStorage.of("team-bucket").withPrefix("spark")
 *     .withKeySecret("gcs-key", "key.json");
 * SparkJob job = SparkJob.builder()
 *     .name("nightly-etl").namespace("spark")
 *     .application(Application.jvm("com.example.Etl", "gs://team-bucket/jobs/etl.jar"))
 *     .eventLog(EventLog.to(logs))
 *     .build();
 * }</pre>
 *
 * <p>A backend says what a pod needs to reach it: {@link #hadoopConf() Hadoop conf} (no secret in
 * it), {@link #connectorPackages() connector packages} the official image lacks, and the volumes,
 * Secret mounts and Secret-backed variables to add to the driver and executors. A job that names a
 * backend ({@link io.sparkk8s.spec.SparkJob#storage()},
 * {@link io.sparkk8s.spec.SparkJob#eventLog()}) gets all of it.
 */
public abstract class StorageBackend {
  /** Where NFS and claim-backed storage is mounted in pods: {@code /mnt/sparkk8s/<name>}. */
  public static final String MOUNT_ROOT = "/mnt/sparkk8s";

  StorageBackend() {}

  /**
   * A short name (a DNS label) that names this backend's volumes and mounts, unique among the
   * backends of one job.
   */
  public abstract String name();

  /**
   * The root of this backend as Hadoop names it, without a trailing slash: {@code
   * gs://bucket/prefix}, {@code s3a://bucket/prefix}, {@code hdfs://namenode:8020/path} or {@code
   * file:///mnt/sparkk8s/<name>/path}.
   */
  public abstract String rootUri();

  /** The Hadoop URI of {@code relativePath} under the root, for example an event log directory. */
  public String resolve(String relativePath) {
    String rel = relativePath.startsWith("/") ? relativePath.substring(1) : relativePath;
    return rel.isEmpty() ? rootUri() : rootUri() + "/" + rel;
  }

  /**
   * The URI a job names a file under {@code relativePath} by, as a jar, file or application
   * resource. The same as {@link #resolve(String)} except for mounted storage, where it is a
   * {@code local://} URI (the file is present in every pod that mounts the backend).
   */
  public String jobUri(String relativePath) {
    return resolve(relativePath);
  }

  /**
   * Hadoop settings that make pods reach this backend (for example {@code fs.s3a.endpoint}), for
   * the default Spark version. Never holds a credential.
   */
  public SortedMap<String, String> hadoopConf() {
    return hadoopConf(SparkVersions.DEFAULT);
  }

  /** Hadoop settings for a given Spark version, whose Hadoop decides some key names. */
  public abstract SortedMap<String, String> hadoopConf(String sparkVersion);

  /**
   * Maven coordinates of the Hadoop connector the official Spark image lacks for this backend,
   * added to {@code spark.jars.packages}; empty when Spark has it built in or the image provides
   * it.
   */
  public List<String> connectorPackages() {
    return connectorPackages(SparkVersions.DEFAULT);
  }

  /** The connector packages for a given Spark version. */
  public abstract List<String> connectorPackages(String sparkVersion);

  /**
   * URLs of connector jars the official image lacks, added to a job's jars, for connectors whose
   * dependencies Ivy cannot resolve and which ship as one shaded jar instead.
   */
  public List<String> connectorJars(String sparkVersion) {
    return List.of();
  }

  /**
   * Spark conf for this backend: its {@link #hadoopConf()} under {@code spark.hadoop.}, and its
   * {@link #connectorPackages()} in {@code spark.jars.packages}. What a History Server or a
   * local-mode Spark needs besides the pod parts.
   */
  public SortedMap<String, String> sparkConf() {
    return sparkConf(SparkVersions.DEFAULT);
  }

  /** {@link #sparkConf()} for a given Spark version. */
  public SortedMap<String, String> sparkConf(String sparkVersion) {
    SortedMap<String, String> conf = new TreeMap<>();
    hadoopConf(sparkVersion).forEach((k, v) -> conf.put("spark.hadoop." + k, v));
    List<String> packages = connectorPackages(sparkVersion);
    if (!packages.isEmpty()) {
      conf.put("spark.jars.packages", String.join(",", packages));
      // Ivy resolves the packages in the driver; the image's default cache is under a read-only
      // home for uid 185, so point it at a writable directory.
      conf.put("spark.jars.ivy", "/tmp/.ivy2");
    }
    return conf;
  }

  /** Volumes the driver and executors mount to reach this backend. */
  public List<Volume> volumes() {
    return List.of();
  }

  /** Secrets mounted as files, such as a service-account key. */
  public List<SecretVolume> secretVolumes() {
    return List.of();
  }

  /** Variables set from Secrets, such as S3 access keys. */
  public List<SecretEnv> secretEnv() {
    return List.of();
  }

  /** The Hadoop scheme of this backend: {@code gs}, {@code s3a}, {@code hdfs} or {@code file}. */
  public abstract String scheme();
}
