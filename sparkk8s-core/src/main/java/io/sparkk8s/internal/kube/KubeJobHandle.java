package io.sparkk8s.internal.kube;

import io.sparkk8s.JobListener;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkK8sException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A handle fed by the namespace's shared watch. {@link #observe} is the only way its state
 * changes; it applies {@link DriverStates#next} under the handle's lock and hands notifications
 * to the client's single notification thread, so listeners see changes in order and the future
 * completes exactly once, after the listeners of the final change.
 */
final class KubeJobHandle implements SparkJobHandle {
  private final KubeSparkClient client;
  private final String namespace;
  private final String name;
  private final String appId;
  private final Executor notifier;
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<JobState> completion = new CompletableFuture<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile JobState state;
  private volatile boolean killed;

  KubeJobHandle(KubeSparkClient client, String namespace, String name, String appId,
      JobState initial, Executor notifier) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.appId = appId;
    this.state = initial;
    this.notifier = notifier;
  }

  /**
   * Applies an observation; returns whether the state changed. Once this handle killed the job,
   * the driver's end is read as the kill ({@link DriverStates#afterKill}), whoever observed it.
   */
  synchronized boolean observe(JobState observed) {
    JobState before = state;
    JobState after = DriverStates.next(before, killed ? DriverStates.afterKill(observed) : observed);
    if (after.equals(before)) {
      return false;
    }
    state = after;
    notifier.execute(() -> {
      for (JobListener l : listeners) {
        try {
          l.onChange(this, before, after);
        } catch (RuntimeException e) {
          KubeSparkClient.LOG.warn("Listener of {}/{} failed", namespace, name, e);
        }
      }
      if (after.phase() != JobPhase.PENDING && after.phase() != JobPhase.SUBMITTED) {
        started.complete(null);
      }
      if (after.phase().isFinal()) {
        completion.complete(after);
      }
    });
    return true;
  }

  /** Applies {@code failed} only if the driver has not started yet, atomically with the watch. */
  synchronized boolean failIfNotStarted(JobState failed) {
    JobPhase p = state.phase();
    return (p == JobPhase.SUBMITTED || p == JobPhase.PENDING) && observe(failed);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String appId() {
    return appId;
  }

  @Override
  public JobState state() {
    return state;
  }

  @Override
  public CompletableFuture<JobState> completion() {
    // A copy, so a caller completing or cancelling it cannot change the handle.
    return completion.thenApply(s -> s);
  }

  @Override
  public void addListener(JobListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  @Override
  public JobState awaitCompletion(Duration timeout) {
    return Completion.await(completion, timeout, namespace + "/" + name, () -> state);
  }

  @Override
  public InputStream driverLog() {
    try {
      started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SparkK8sException("Interrupted while waiting for " + name + " to start", e);
    } catch (ExecutionException e) {
      throw new SparkK8sException("Waiting for " + name + " failed", e.getCause());
    }
    return client.streamLog(namespace, name);
  }

  @Override
  public void kill() {
    if (state.phase().isFinal()) {
      return;
    }
    killed = true;
    client.deleteDriver(namespace, name, false);
  }

  @Override
  public void delete(Duration timeout) {
    if (!state.phase().isFinal()) {
      killed = true;
    }
    client.deleteDriver(namespace, name, true);
    client.awaitGone(this, timeout);
  }

  @Override
  public String toString() {
    return "SparkJobHandle{" + namespace + "/" + name + ", " + appId + ", " + state + "}";
  }
}
