package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.StagedFiles;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client given {@link StagedFiles} deletes a job's staged files before the job: when retention
 * deletes a driver, when it deletes a retried job's attempts, and when a caller deletes a job.
 * Retention keeps a job until its files are gone, and asks only about jobs labelled {@link
 * StagedFiles#LABEL}; a job it keeps keeps its files. The staged files here record the keys they
 * are asked to delete (sparkk8s-storage's {@code StagedJobsE2E} deletes
 * real ones from the S3 and Cloud Storage test servers).
 */
@RealCluster
class StagedFilesE2E {
  private static SparkKubernetes connect(ClusterConnection cluster, StagedFiles staged) {
    return SparkKubernetes.builder().kubeconfig(cluster.kubeconfig(), Optional.empty())
        .stagedFiles(staged).connect();
  }

  /** A job that exits 0, labelled as {@code DependencyStager.submit} labels the jobs it stages. */
  private static io.sparkk8s.spec.SparkJob.Builder exitingWith0(TestNamespace ns, String name) {
    return SparkJobLifecycleE2E.job(ns, name).application(RetentionE2E.EXIT).addArgument("0")
        .putLabel(StagedFiles.LABEL, "true");
  }

  @Test
  void retentionDeletesTheFilesFirstAndKeepsTheJobUntilItCan(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    Recording staged = new Recording(2);
    try (SparkKubernetes spark = connect(cluster, staged)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle ok = spark.submit(exitingWith0(ns, "staged-ok")
          .retention(Retention.deleteOnSuccess()).build());
      SparkJobHandle kept = spark.submit(exitingWith0(ns, "staged-kept")
          .retention(Retention.keepForever()).build());
      // Nothing staged (no label): deleted by its retention without a question to the store.
      SparkJobHandle plain = spark.submit(SparkJobLifecycleE2E.job(ns, "plain")
          .application(RetentionE2E.EXIT).addArgument("0")
          .retention(Retention.deleteOnSuccess()).build());
      assertThat(ok.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(kept.awaitCompletion(Duration.ofMinutes(4)).phase())
          .isEqualTo(JobPhase.SUCCEEDED);
      await("the first delete failed").atMost(Duration.ofSeconds(30))
          .until(() -> staged.calls.get() >= 1);
      // Its retention is up (zero), but its files are not deleted: the driver stays.
      await("kept while its files are there").during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(9)).until(() -> staged.calls.get() >= 3
              || RetentionE2E.objectsOf(core, ns, ok) == 3);
      await("deleted once its files are").atMost(Duration.ofSeconds(60))
          .until(() -> RetentionE2E.objectsOf(core, ns, ok) == 0);
      System.out.println("[E2E] staged-file deletes until one succeeded: " + staged.calls.get());
      assertThat(staged.calls.get()).as("tried again after each failure").isGreaterThanOrEqualTo(3);
      assertThat(staged.deleted).as("the job's key, once deleted")
          .containsExactly(new StagedFiles.Key(ns.name(), ok.appId()));
      assertThat(RetentionE2E.objectsOf(core, ns, kept)).as("the kept job").isEqualTo(3);
      assertThat(plain.awaitCompletion(Duration.ofMinutes(1)).phase())
          .isEqualTo(JobPhase.SUCCEEDED);
      await("the unlabelled job deleted").atMost(Duration.ofSeconds(60))
          .until(() -> RetentionE2E.objectsOf(core, ns, plain) == 0);
      assertThat(staged.deleted).as("asked about labelled jobs only")
          .doesNotContain(new StagedFiles.Key(ns.name(), plain.appId()));
    }
  }

  @Test
  void aRetriedJobsFilesGoWithItsAttemptsAndACallersDeleteTakesTheirsToo(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    Recording staged = new Recording(0);
    try (SparkKubernetes spark = connect(cluster, staged)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle retried = spark.submit(exitingWith0(ns, "staged-retried")
          .retryPolicy(RetryPolicy.onFailure(2)).retention(Retention.deleteOnSuccess()).build());
      SparkJobHandle deleted = spark.submit(exitingWith0(ns, "staged-deleted").build());
      assertThat(retried.awaitCompletion(Duration.ofMinutes(4)).phase())
          .isEqualTo(JobPhase.SUCCEEDED);
      assertThat(deleted.awaitCompletion(Duration.ofMinutes(4)).phase())
          .isEqualTo(JobPhase.SUCCEEDED);
      deleted.delete(Duration.ofSeconds(60));
      await("the retried job's attempts deleted by its retention").atMost(Duration.ofSeconds(60))
          .until(() -> RetentionE2E.objectsOf(core, ns, retried) == 0);
      // The job id of a retried job is its first attempt's application id.
      assertThat(staged.deleted).containsExactlyInAnyOrder(
          new StagedFiles.Key(ns.name(), retried.attempts().get(0).appId()),
          new StagedFiles.Key(ns.name(), deleted.appId()));
      assertThat(RetentionE2E.objectsOf(core, ns, deleted)).isZero();
    }
  }

  /** Staged files that record the keys they delete, failing the first {@code failures} calls. */
  static final class Recording implements StagedFiles {
    final AtomicInteger calls = new AtomicInteger();
    final List<Key> deleted = new CopyOnWriteArrayList<>();
    private final int failures;

    Recording(int failures) {
      this.failures = failures;
    }

    @Override
    public void delete(Key key) throws IOException {
      if (calls.incrementAndGet() <= failures) {
        throw new IOException("the store is down (delete " + calls.get() + ")");
      }
      deleted.add(key);
    }
  }
}
