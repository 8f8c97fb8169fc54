package io.sparkk8s.examples;

import io.sparkk8s.DeployResult;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.NfsStorage;
import java.time.Duration;

/**
 * A team's Spark platform: JupyterLab whose sessions run executors on the cluster, and a History
 * Server, both on shared event logs. Two variants: Google Cloud (event logs in a GCS bucket, a
 * service-account key in a Secret) and on-premises (an NFS export).
 *
 * <pre>
 * mvn -B -q -pl sparkk8s-examples exec:java -Dexec.mainClass=io.sparkk8s.examples.TeamPlatform \
 *     -Dexec.args="nfs data-team nfs.example.com /exports/spark"          # prints the objects
 * mvn ... -Dexec.args="gcs data-team team-logs-bucket --deploy"             # deploys them
 * </pre>
 */
public final class TeamPlatform {
  private TeamPlatform() {}

  /** On Google Cloud: event logs in {@code bucket}, read with the key in Secret {@code gcs-key}. */
  public static SparkPlatform onGcs(String namespace, String bucket) {
    EventLog logs = EventLog.to(GcsStorage.of(bucket).withPrefix("spark")
        .withKeySecret("gcs-key", "key.json"));
    return platform(namespace, logs,
        // The History Server reads gs:// with the connector on its own classpath.
        HistoryServer.reading(logs, "registry.example.com/spark-gcs:4.1.1"));
  }

  /** On-premises: event logs on an NFS export (ensure it once with SparkKubernetes.ensureStorage). */
  public static SparkPlatform onNfs(String namespace, String server, String exportPath) {
    EventLog logs = EventLog.to(NfsStorage.of(server, exportPath));
    return platform(namespace, logs, HistoryServer.reading(logs).withCleanerMaxAge(Duration.ofDays(30)));
  }

  private static SparkPlatform platform(String namespace, EventLog logs, HistoryServer history) {
    return SparkPlatform.builder().name("team").namespace(namespace)
        .addNotebook(NotebookEnvironment.jupyter("lab")
            .withExecutor(Executor.builder().memory("4g").cores(2).build())
            .withDynamicAllocation(DynamicAllocation.between(0, 20))
            .withEventLog(logs))
        .historyServer(history)
        .build();
  }

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: TeamPlatform gcs <namespace> <bucket> [--deploy]"
          + " | nfs <namespace> <server> <exportPath> [--deploy]");
      System.exit(2);
    }
    boolean deploy = args[args.length - 1].equals("--deploy");
    SparkPlatform platform = args[0].equals("gcs") ? onGcs(args[1], args[2])
        : onNfs(args[1], args[2], args[3]);
    if (!deploy) {
      System.out.print(SparkCompiler.toYaml(platform));
      return;
    }
    try (SparkKubernetes spark = SparkKubernetes.connect()) {
      platform.notebooks().forEach(nb -> nb.eventLog().ifPresent(
          log -> spark.ensureStorage(platform.namespace(), log.backend())));
      DeployResult changes = spark.deploy(platform);
      System.out.println("created " + changes.created() + ", updated " + changes.updated());
      PlatformStatus status = spark.awaitReady(platform, Duration.ofMinutes(10));
      status.components().forEach(c -> System.out.println(c.name() + ": " + c.url()));
    }
  }
}
