package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.sparkk8s.exception.SparkK8sException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a handle gives every implementation: waiting for the end, named on a time-out. */
class SparkJobHandleTest {

  @Test
  void theDefaultAwaitWaitsForTheHandlesEndAndNamesTheJobOnATimeOut() {
    SparkJobHandle handle = mock(SparkJobHandle.class, CALLS_REAL_METHODS);
    CompletableFuture<JobState> end = new CompletableFuture<>();
    doReturn(end).when(handle).completion();
    doReturn("jobs").when(handle).namespace();
    doReturn("pi").when(handle).name();
    doReturn(JobState.of(JobPhase.RUNNING, "")).when(handle).state();

    assertThatThrownBy(() -> handle.awaitCompletion(Duration.ofMillis(5)))
        .isInstanceOf(SparkK8sException.class).hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("jobs/pi").hasMessageContaining("RUNNING");
    JobState succeeded = JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", "");
    end.complete(succeeded);
    assertThat(handle.awaitCompletion(Duration.ZERO)).isEqualTo(succeeded);
  }
}
