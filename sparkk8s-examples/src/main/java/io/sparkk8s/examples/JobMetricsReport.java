package io.sparkk8s.examples;

import io.sparkk8s.JobCounts;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Submits 20 small SparkPi jobs, 4 at a time, and prints, for each, how long it waited for a
 * node, for its driver to run and for its first executor, how long it ran, and the client's counts
 * by outcome. The figures are the API server's own timestamps ({@code SparkJobHandle.metrics()}).
 *
 * <p>Arguments: [namespace] [jobs] [at once]. The namespace must exist; finished jobs are deleted
 * a minute after their end.
 */
public final class JobMetricsReport {
  private JobMetricsReport() {}

  public static void main(String[] args) throws Exception {
    String namespace = args.length > 0 ? args[0] : "default";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    // How many run at once: a laptop-sized cluster (or the 2-core local one) runs a few SparkPi
    // drivers at a time; more only queue for CPU until Spark's own API timeouts fail them.
    int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    java.util.Optional<SparkKubernetes> connected = SparkPiLauncher.connect();
    if (connected.isEmpty()) {
      System.exit(3);
    }
    try (SparkKubernetes spark = connected.get()) {
      spark.ensureDriverServiceAccount(namespace, "spark");
      List<SparkJobHandle> jobs = new ArrayList<>();
      System.out.printf("%-8s %-10s %12s %12s %15s %10s %10s%n", "job", "end", "toScheduled",
          "toRunning", "toFirstExecutor", "runTime", "total");
      for (int i = 0; i < count; i++) {
        if (i >= parallel) {
          print(jobs.get(i - parallel));
        }
        jobs.add(spark.submit(SparkJob.builder()
            .name("pi-" + i).namespace(namespace).appId(SparkJob.newAppId())
            .application(Application.jvm("org.apache.spark.examples.SparkPi",
                "local:///opt/spark/examples/jars/spark-examples.jar"))
            .addArgument("2")
            .driver(Driver.builder().coreRequest("100m").memory("512m").build())
            .executor(Executor.builder().instances(1).coreRequest("100m").memory("512m").build())
            .serviceAccount("spark")
            .retention(Retention.deleteAfter(Duration.ofMinutes(1)))
            .build()));
      }
      for (SparkJobHandle job : jobs.subList(Math.max(0, count - parallel), count)) {
        print(job);
      }
      JobCounts c = spark.jobCounts();
      System.out.println("submitted " + c.submitted() + ", succeeded " + c.succeeded()
          + ", failed " + c.failed() + " " + c.failedByReason());
    }
  }

  /** Waits for the job's end and prints its figures. */
  private static void print(SparkJobHandle job) {
    JobState end = job.awaitCompletion(Duration.ofMinutes(30));
    JobMetrics m = job.metrics();
    System.out.printf("%-8s %-10s %12s %12s %15s %10s %10s%n",
        job.name().substring(0, job.name().indexOf('-', 3)), end.phase(),
        text(m.timeToScheduled()), text(m.timeToRunning()), text(m.timeToFirstExecutor()),
        text(m.runTime()), text(m.totalTime()));
  }

  private static String text(Optional<Duration> d) {
    return d.map(x -> x.toSeconds() + "s").orElse("-");
  }
}
