package io.sparkk8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a client keeps its jobs' driver logs once the driver has ended, so that they outlive the
 * pod: {@link SparkJobHandle#driverLog()} and {@link SparkJobHandle#failureReport()} read the
 * archive when the driver pod is gone (deleted by retention, by a caller, or with its node).
 *
 * <p>A client given an archive ({@link SparkKubernetes.Builder#driverLogArchive}) writes the log
 * of every driver it sees end in the namespaces it follows, before its retention deletes it (a
 * driver whose log cannot be written is not deleted; the next client to see it tries again), and
 * when a caller kills or deletes a job (the log up to that moment). A log is read from the API
 * server without following it and cut at {@link SparkKubernetes.Builder#driverLogLimit} bytes.
 *
 * <p>Implementations: {@link DirectoryLogArchive} (a local directory, or a volume such as a
 * PersistentVolumeClaim mounted into the pod the client runs in) and, in {@code sparkk8s-storage},
 * {@code StorageLogArchive} for GCS, S3 and HDFS. An archive keeps what it is given; expire old
 * logs with the store's own rules (an object lifecycle rule, a cron job on the directory).
 *
 * <pre>{@code
 * SparkKubernetes spark = SparkKubernetes.builder()
 *     .driverLogArchive(DirectoryLogArchive.at(Path.of("/var/log/spark-drivers")))
 *     .connect();
 * }</pre>
 */
public interface LogArchive {

  /**
   * Which driver a log is: its namespace, pod name and application id (the same name may be used
   * again by a later run, with another id). Read from the cluster, so checked: each part must be a
   * Kubernetes name ({@code [a-z0-9]([-a-z0-9.]*[a-z0-9])?}, at most 253 characters), never
   * {@code .} or {@code ..}, and so safe as a path segment.
   *
   * @param namespace the driver's namespace
   * @param driverPodName the driver pod's name
   * @param appId the application id ({@code spark-app-selector})
   */
  record Key(String namespace, String driverPodName, String appId) {
    /** Checks each part. */
    public Key {
      KeyNames.check("LogArchive.Key", "namespace", namespace);
      KeyNames.check("LogArchive.Key", "driverPodName", driverPodName);
      KeyNames.check("LogArchive.Key", "appId", appId);
    }

    /** The key as a relative path: {@code <namespace>/<driverPodName>/<appId>.log}. */
    public String relativePath() {
      return namespace + "/" + driverPodName + "/" + appId + ".log";
    }
  }

  /**
   * Stores the log, replacing any earlier one of the same key. Must be atomic: a reader finds the
   * whole log or none (write elsewhere, then move or commit).
   */
  void write(Key key, InputStream log) throws IOException;

  /** Whether a log of {@code key} is stored. */
  boolean contains(Key key) throws IOException;

  /** The stored log, or empty. The caller closes the stream. */
  Optional<InputStream> open(Key key) throws IOException;
}
