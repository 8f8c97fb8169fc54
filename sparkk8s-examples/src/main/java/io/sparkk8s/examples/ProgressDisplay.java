package io.sparkk8s.examples;

import io.sparkk8s.JobState;
import io.sparkk8s.SparkProgress;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How the launcher shows a job: in a terminal, a live progress bar of Spark's tasks (drawn by the
 * {@code progressbar} library, which sizes it to the terminal through JLine) with the job's state
 * and executors as its extra message; elsewhere, one plain line per change ({@link #plain}).
 */
final class ProgressDisplay implements AutoCloseable {
  private final ProgressBar bar;
  private volatile String state = "SUBMITTED";
  private volatile String executors = "";

  private ProgressDisplay(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar named {@code label} in the terminal, at zero tasks of an unknown total. */
  static ProgressDisplay inTerminal(String label) {
    return new ProgressDisplay(new ProgressBarBuilder().setTaskName(label).setInitialMax(-1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" tasks", 1)
        .showSpeed().continuousUpdate().build());
  }

  /** The job's state changed. */
  void state(JobState to) {
    state = to.phase() + (to.reason().isEmpty() ? "" : " (" + to.reason() + ")");
    bar.setExtraMessage(message());
  }

  /** Spark reported new figures. */
  void progress(SparkProgress p) {
    bar.maxHint(p.totalTasks());
    bar.stepTo(p.completedTasks());
    executors = p.activeExecutors() + " executors";
    bar.setExtraMessage(message());
  }

  private String message() {
    return " " + state + (executors.isEmpty() ? "" : ", " + executors);
  }

  /** One plain line for {@code p}, as a CI log shows it. */
  static String plain(SparkProgress p) {
    return String.format(Locale.ROOT, "progress: %d of %d tasks done (%.0f%%), %d running, %d"
        + " executors, stages %d done, %d running", p.completedTasks(), p.totalTasks(),
        100 * p.fractionDone(), p.activeTasks(), p.activeExecutors(), p.completedStages(),
        p.activeStages());
  }

  @Override
  public void close() {
    bar.close();
  }
}
