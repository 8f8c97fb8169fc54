package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobReasons;
import io.sparkk8s.JobState;
import io.sparkk8s.internal.compile.BasicDriverStep;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The job state machine, pure: what a driver pod says about its job, and how a new observation
 * combines with what was known. Events may arrive late, twice or not at all (a relist after a
 * dropped watch skips intermediate states), so the rules are monotonic: a final state never
 * changes, and a job never goes back from running to pending.
 */
public final class DriverStates {
  /**
   * Waiting reasons of a driver container whose image will not be had: the kubelet has failed to
   * pull it at least twice and backs off ({@code ImagePullBackOff}), may not pull it
   * ({@code ErrImageNeverPull}), or cannot parse its name ({@code InvalidImageName}). The job ends
   * FAILED with that reason instead of pending forever; a single {@code ErrImagePull} is still
   * pending, as the kubelet retries at once.
   */
  public static final Set<String> IMAGE_UNAVAILABLE =
      Set.of(io.sparkk8s.JobReasons.IMAGE_PULL_BACK_OFF,
          io.sparkk8s.JobReasons.ERR_IMAGE_NEVER_PULL, io.sparkk8s.JobReasons.INVALID_IMAGE_NAME);

  private DriverStates() {}

  /** What the driver pod says. */
  public static JobState fromPod(V1Pod pod) {
    JobState observed = observed(pod);
    if (PodFacts.stoppedIdle(pod) && observed.phase() == JobPhase.FAILED) {
      // The SDK stopped an idle server (SIGTERM): that is its policy working, not a failure.
      return idleEnd(observed);
    }
    return observed;
  }

  /** How a server stopped for being idle ends. */
  static JobState idleEnd(JobState observed) {
    String message = "stopped by its idle timeout: no Spark job ran for that long";
    return observed.exitCode()
        .map(code -> JobState.ended(JobPhase.SUCCEEDED, code, JobReasons.IDLE_SHUTDOWN, message))
        .orElseGet(() -> JobState.ended(JobPhase.SUCCEEDED, JobReasons.IDLE_SHUTDOWN, message));
  }

  /** The state of a driver whose pod is gone, from the last pod seen. */
  static JobState gone(V1Pod lastSeen) {
    JobState last = fromPod(lastSeen);
    if (last.phase().isFinal()) {
      return last;
    }
    return PodFacts.stoppedIdle(lastSeen) ? idleEnd(last) : JobState.driverDeleted();
  }

  private static JobState observed(V1Pod pod) {
    var status = pod.getStatus();
    String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
    Optional<V1ContainerStatus> driver = driverContainer(pod);
    Optional<V1ContainerStateTerminated> terminated = driver.map(V1ContainerStatus::getState)
        .map(V1ContainerState::getTerminated);
    if (terminated.isPresent() && (phase.equals("Succeeded") || phase.equals("Failed")
        || phase.equals("Running"))) {
      // The driver container ended; with sidecars the pod may still be Running.
      var t = terminated.get();
      int code = t.getExitCode() == null ? -1 : t.getExitCode();
      return JobState.ended(code == 0 ? JobPhase.SUCCEEDED : JobPhase.FAILED, code,
          orEmpty(t.getReason()), orEmpty(t.getMessage()));
    }
    return switch (phase) {
      case "Succeeded" -> JobState.ended(JobPhase.SUCCEEDED, "Completed", "");
      case "Failed" -> JobState.ended(JobPhase.FAILED, orEmpty(status.getReason()),
          orEmpty(status.getMessage()));
      case "Running" -> JobState.of(JobPhase.RUNNING, "");
      case "Unknown" -> JobState.of(JobPhase.UNKNOWN, orEmpty(status.getReason()))
          .withMessage(orEmpty(status.getMessage()));
      default -> pending(pod, driver);
    };
  }

  private static JobState pending(V1Pod pod, Optional<V1ContainerStatus> driver) {
    var waiting = driver.map(V1ContainerStatus::getState).map(V1ContainerState::getWaiting);
    if (waiting.isPresent() && IMAGE_UNAVAILABLE.contains(waiting.get().getReason())) {
      return JobState.ended(JobPhase.FAILED, waiting.get().getReason(),
          orEmpty(waiting.get().getMessage()));
    }
    if (waiting.isPresent() && waiting.get().getReason() != null) {
      return JobState.of(JobPhase.PENDING, waiting.get().getReason())
          .withMessage(orEmpty(waiting.get().getMessage()));
    }
    List<V1PodCondition> conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
    if (conditions != null) {
      for (V1PodCondition c : conditions) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return JobState.of(JobPhase.PENDING, orEmpty(c.getReason())).withMessage(orEmpty(c.getMessage()));
        }
      }
    }
    return JobState.of(JobPhase.PENDING, "");
  }

  /**
   * What the pod says, given its node: when the node is lost (its kubelet stopped reporting), a
   * job that has not ended is {@code UNKNOWN} with reason {@code NodeLost} and why, whatever its
   * pod last said; a job that ended stays ended.
   */
  public static JobState onNode(JobState fromPod, Optional<String> nodeLost) {
    if (fromPod.phase().isFinal() || nodeLost.isEmpty()) {
      return fromPod;
    }
    return JobState.of(JobPhase.UNKNOWN, NodeWatch.NODE_LOST).withMessage(nodeLost.get());
  }

  /**
   * What a pod's end means once the SDK killed it: the driver answers SIGTERM by exiting
   * (reason Error, code 143 or Spark's own), which is the kill, not a failure of the job. A job
   * that succeeded on its own before the kill took effect stays succeeded.
   */
  public static JobState afterKill(JobState observed) {
    if (!observed.phase().isFinal() || observed.phase() == JobPhase.SUCCEEDED) {
      return observed;
    }
    JobState killed = JobState.killed();
    return observed.exitCode()
        .map(code -> JobState.ended(JobPhase.FAILED, code, killed.reason(), killed.message()))
        .orElse(killed);
  }

  /** Whether an executor pod is alive: not ended and not being deleted. */
  public static boolean liveExecutor(V1Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static Optional<V1ContainerStatus> driverContainer(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    var statuses = pod.getStatus().getContainerStatuses();
    return statuses.stream().filter(s -> BasicDriverStep.CONTAINER_NAME.equals(s.getName()))
        .findFirst().or(() -> statuses.stream().findFirst());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
