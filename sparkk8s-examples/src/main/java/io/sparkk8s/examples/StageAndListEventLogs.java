package io.sparkk8s.examples;

import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.client.ApplicationSummary;
import io.sparkk8s.storage.client.DependencyStager;
import io.sparkk8s.storage.client.EventLogReader;
import io.sparkk8s.storage.client.JobFiles;
import io.sparkk8s.storage.client.StagingListener;
import io.sparkk8s.storage.client.StorageAccess;
import io.sparkk8s.storage.client.StorageCredentials;
import java.nio.file.Path;

/**
 * The storage client on an S3-compatible store: checks the bucket, stages a local jar, prints the
 * job that would run it, and lists the applications in the event log directory.
 *
 * <p>Arguments: endpoint bucket local-jar main-class. Keys from S3_ACCESS_KEY / S3_SECRET_KEY (on
 * this machine); pods get theirs from Secret {@code s3-creds}.
 */
public final class StageAndListEventLogs {
  private StageAndListEventLogs() {}

  public static void main(String[] args) {
    S3Storage store = S3Storage.of(args[1]).withEndpoint(args[0]).withPathStyleAccess(true)
        .withCredentialsSecret("s3-creds");
    StorageAccess access = StorageAccess.of(store,
        StorageCredentials.s3(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY")));
    EventLog log = EventLog.to(store);

    access.check();                              // a clear error now, not a failed driver later
    access.ensureDirectory(log.directory());

    SparkJob job = DependencyStager.to(access)
        .withListener(new StagingListener() {
          @Override
          public void progress(Path file, long sent, long size) {
            System.out.printf("%s %3d%%%n", file.getFileName(), sent * 100 / size);
          }
        })
        .stage(SparkJob.builder().name("staged-job").namespace("default").eventLog(log),
            JobFiles.jvm(args[3], args[2]));
    System.out.println("application resource: " + job.application().resource());

    try (EventLogReader reader = EventLogReader.open(access)) {
      for (ApplicationSummary app : reader.applications(log)) {
        System.out.printf("%s %-30s %-11s %s%n", app.id(), app.name(),
            app.completed() ? "completed" : "running", app.duration());
      }
    }
  }
}
