package io.sparkk8s.internal.kube;

import io.sparkk8s.JobState;
import io.sparkk8s.exception.SparkK8sException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@code SparkJobHandle.awaitCompletion} for every handle: the real one and the test kit's. */
public final class Completion {
  private Completion() {}

  /**
   * Waits for {@code completion}; on time-out throws {@link SparkK8sException} caused by a
   * {@link TimeoutException} naming the job and its last state.
   */
  public static JobState await(CompletableFuture<JobState> completion, Duration timeout,
      String job, Supplier<JobState> lastState) {
    try {
      return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new SparkK8sException("Job " + job + " did not end within " + timeout
          + "; last state: " + lastState.get(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SparkK8sException("Interrupted while waiting for " + job, e);
    } catch (ExecutionException e) {
      throw new SparkK8sException("Waiting for " + job + " failed", e.getCause());
    }
  }
}
