package io.sparkk8s.testing;

import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle.JobListener;
import io.sparkk8s.SparkJobHandle.ProgressListener;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkProgress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted job's listeners, called synchronously in the order they were added: its state
 * listeners, and its progress listeners with its scripted progress as the real client reports it
 * (read only while the job runs; told when the figures differ from the last told, when scripted
 * while running or when the job starts running with progress already scripted; never after the
 * end). A listener that throws does not stop the others; the first failure is returned, later
 * ones suppressed in it.
 */
final class ScriptedListeners {
  private final List<JobListener> changes = new CopyOnWriteArrayList<>();
  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
  private volatile SparkProgress current;
  private volatile SparkProgress told;

  void add(JobListener listener) {
    changes.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(JobListener listener) {
    changes.remove(listener);
  }

  /** Tells every state listener; returns the first failure, or null. */
  Throwable tell(SparkJobHandle handle, JobState from, JobState to) {
    Throwable first = null;
    for (JobListener l : changes) {
      try {
        l.onChange(handle, from, to);
      } catch (RuntimeException | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }

  void add(ProgressListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(ProgressListener listener) {
    listeners.remove(listener);
  }

  /** What the handle reports: the scripted progress while running, else empty. */
  Optional<SparkProgress> read(boolean running) {
    return running ? Optional.ofNullable(current) : Optional.empty();
  }

  /** Scripts {@code progress}; returns a listener's failure, or null. */
  RuntimeException set(SparkJobHandle handle, SparkProgress progress, boolean running) {
    current = Objects.requireNonNull(progress, "progress");
    return tell(handle, running);
  }

  /** Tells the progress listeners the scripted progress if the job runs and it is new to them. */
  RuntimeException tell(SparkJobHandle handle, boolean running) {
    SparkProgress p = current;
    if (!running || p == null || p.sameFiguresAs(told)) {
      return null;
    }
    told = p;
    RuntimeException first = null;
    for (ProgressListener l : listeners) {
      try {
        l.onProgress(handle, p);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }
}
