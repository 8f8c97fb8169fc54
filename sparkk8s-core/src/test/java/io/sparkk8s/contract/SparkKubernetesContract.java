package io.sparkk8s.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobReasons;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What users of {@link SparkKubernetes} rely on, run against the test kit's
 * {@code InMemorySparkKubernetes} ({@code InMemoryContractTest}) and against the real client on
 * the local cluster ({@code RealClientContractE2E}), so the fake cannot drift from the real thing:
 * a difference fails one of the two.
 *
 * <p>A subclass gives the client, a namespace, a job description whose driver it can drive, and
 * the two things a kubelet would do: start the driver, and end it with an exit code.
 */
public abstract class SparkKubernetesContract {
  protected static final Duration WAIT = Duration.ofSeconds(60);

  /** The client under test. */
  protected abstract SparkKubernetes spark();

  /** A namespace the client may use, empty at the start of each test. */
  protected abstract String namespace();

  /** A job named {@code name} in {@link #namespace()}, labelled {@code contract=<label>}. */
  protected abstract SparkJob job(String name, String label);

  /** The driver starts running, as its kubelet would report. */
  protected abstract void run(SparkJobHandle handle) throws Exception;

  /** The driver exits with {@code exitCode}, as its kubelet would report. */
  protected abstract void end(SparkJobHandle handle, int exitCode) throws Exception;

  /**
   * The kubelet stops a driver whose pod was deleted gracefully (by {@code kill()}) and the pod
   * goes; nothing to do where the client does it all.
   */
  protected abstract void stopDeleted(SparkJobHandle handle) throws Exception;

  private static List<JobPhase> follow(SparkJobHandle h) {
    List<JobPhase> seen = new CopyOnWriteArrayList<>();
    h.addListener((job, from, to) -> seen.add(to.phase()));
    return seen;
  }

  private static void awaitPhase(SparkJobHandle h, JobPhase phase) {
    await(h.name() + " " + phase).atMost(WAIT).until(() -> h.state().phase() == phase);
  }

  @Test
  void aSubmittedJobRunsAndSucceedsAndItsListenersSeeEachStep() throws Exception {
    SparkJobHandle h = spark().submit(job("ok", "ok"));
    List<JobPhase> seen = follow(h);
    assertThatThrownBy(() -> h.addListener(null)).isInstanceOf(NullPointerException.class);
    assertThat(h.state().phase()).isIn(JobPhase.SUBMITTED, JobPhase.PENDING);
    assertThat(h.namespace()).isEqualTo(namespace());
    run(h);
    awaitPhase(h, JobPhase.RUNNING);
    end(h, 0);
    JobState s = h.awaitCompletion(WAIT);
    assertThat(s.phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(s.exitCode()).contains(0);
    assertThat(s.reason()).isEqualTo(JobReasons.COMPLETED);
    assertThat(h.completion()).isCompletedWithValueMatching(e -> e.phase() == JobPhase.SUCCEEDED);
    await("listeners told").atMost(WAIT).until(() -> seen.contains(JobPhase.SUCCEEDED));
    assertThat(seen).containsSubsequence(JobPhase.RUNNING, JobPhase.SUCCEEDED);
    assertThat(spark().jobCounts().succeeded()).isEqualTo(1);
  }

  @Test
  void aFailedDriverEndsWithItsExitCodeAndIsCounted() throws Exception {
    SparkJobHandle h = spark().submit(job("bad", "bad"));
    run(h);
    awaitPhase(h, JobPhase.RUNNING);
    end(h, 3);
    JobState s = h.awaitCompletion(WAIT);
    assertThat(s.phase()).isEqualTo(JobPhase.FAILED);
    assertThat(s.exitCode()).contains(3);
    assertThat(s.reason()).isEqualTo(JobReasons.ERROR);
    assertThat(spark().jobCounts().failed()).isEqualTo(1);
    assertThat(spark().jobCounts().failedByReason()).containsEntry(JobReasons.ERROR, 1L);
  }

  @Test
  void killEndsTheJobKilled() throws Exception {
    SparkJobHandle h = spark().submit(job("killed", "killed"));
    run(h);
    awaitPhase(h, JobPhase.RUNNING);
    h.kill();
    stopDeleted(h);
    JobState s = h.awaitCompletion(WAIT);
    assertThat(s.phase()).isEqualTo(JobPhase.FAILED);
    assertThat(s.reason()).isEqualTo(JobReasons.KILLED);
  }

  @Test
  void listAndAttachFindASubmittedJobBySelectorAndName() throws Exception {
    SparkJobHandle h = spark().submit(job("found", "found"));
    spark().submit(job("other", "other"));
    List<SparkJobHandle> listed = spark().list(namespace(), "contract=found");
    assertThat(listed).extracting(SparkJobHandle::name).containsExactly(h.name());
    SparkJobHandle attached = spark().attach(namespace(), h.name());
    assertThat(attached.appId()).isEqualTo(h.appId());
    run(h);
    awaitPhase(attached, JobPhase.RUNNING);
    assertThatThrownBy(() -> spark().attach(namespace(), "no-such-driver"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aTenantsJobsAreTheirOwnAndAreListedByItsLabel() throws Exception {
    SparkJob job = job("shared", "tenants");
    SparkJobHandle a = spark().submit(SparkJob.builder().from(job).tenant("team-a").build());
    SparkJobHandle b = spark().submit(SparkJob.builder().from(job).tenant("team-b").build());
    // The same description for two tenants is two jobs, not a conflict.
    assertThat(a.appId()).isNotEqualTo(b.appId());
    assertThat(a.name()).isNotEqualTo(b.name());
    assertThat(spark().list(namespace(), SparkJob.TENANT_LABEL + "=team-a"))
        .extracting(SparkJobHandle::appId).containsExactly(a.appId());
    assertThat(spark().list(namespace(), "contract=tenants")).extracting(SparkJobHandle::appId)
        .containsExactlyInAnyOrder(a.appId(), b.appId());
  }

  @Test
  void theSameDescriptionSubmittedAgainConflictsOrAttachesAsAsked() throws Exception {
    SparkJob job = job("twice", "twice");
    SparkJobHandle first = spark().submit(job);
    assertThatThrownBy(() -> spark().submit(job, OnConflict.FAIL))
        .isInstanceOf(ConflictException.class);
    SparkJobHandle again = spark().submit(job, OnConflict.ATTACH);
    assertThat(again.appId()).isEqualTo(first.appId());
    assertThat(again.name()).isEqualTo(first.name());
    assertThat(spark().jobCounts().submitted()).as("an attaching submit is no new job")
        .isEqualTo(1);
  }

  @Test
  void aNewRunOfAnEndedDescriptionStartsBesideItInsteadOfAttaching() throws Exception {
    SparkJob job = job("rerun", "rerun");
    SparkJobHandle first = spark().submit(job);
    run(first);
    awaitPhase(first, JobPhase.RUNNING);
    end(first, 0);
    first.awaitCompletion(WAIT);
    // The default attaches: the same description is the same run, which has ended.
    SparkJobHandle attached = spark().submit(job);
    assertThat(attached.appId()).isEqualTo(first.appId());
    awaitPhase(attached, JobPhase.SUCCEEDED);
    SparkJobHandle second = spark().submit(job, OnConflict.NEW_RUN);
    assertThat(second.appId()).isNotEqualTo(first.appId());
    assertThat(second.name()).isNotEqualTo(first.name());
    assertThat(second.state().phase().isFinal()).isFalse();
    assertThat(spark().list(namespace(), "contract=rerun")).extracting(SparkJobHandle::appId)
        .containsExactlyInAnyOrder(first.appId(), second.appId());
    assertThat(spark().jobCounts().submitted()).isEqualTo(2);
    run(second);
    awaitPhase(second, JobPhase.RUNNING);
    end(second, 0);
    assertThat(second.awaitCompletion(WAIT).phase()).isEqualTo(JobPhase.SUCCEEDED);
  }

  @Test
  void diagnosticsCountTheJobsThatRun() throws Exception {
    SparkJobHandle a = spark().submit(job("diag-a", "diag"));
    SparkJobHandle b = spark().submit(job("diag-b", "diag"));
    assertThat(spark().diagnostics().trackedJobs()).isEqualTo(2);
    run(a);
    awaitPhase(a, JobPhase.RUNNING);
    end(a, 0);
    a.awaitCompletion(WAIT);
    await("one job left running").atMost(WAIT)
        .until(() -> spark().diagnostics().trackedJobs() == 1);
    assertThat(b.state().phase().isFinal()).isFalse();
    assertThat(spark().diagnostics().endedJobsHeld()).as("the caller holds the ended handle")
        .isEqualTo(1);
  }
}
