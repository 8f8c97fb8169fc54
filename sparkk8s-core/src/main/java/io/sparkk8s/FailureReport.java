package io.sparkk8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a job failed, in one value: the category, the exception the driver died of (parsed from its
 * log), the last lines of that log and the Kubernetes events of the driver pod. Read it with
 * {@link SparkJobHandle#failureReport()} once a job has failed.
 *
 * <pre>
 * FAILED (driver exception): java.lang.NumberFormatException: For input string: "abc"
 *   reason Error, exit code 1
 *   events: Scheduled: Successfully assigned ...; Pulled: ...; Started: ...
 *   last log lines:
 *     Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"
 *     ...
 * </pre>
 *
 * @param category what kind of failure it was
 * @param state the job's final state
 * @param exception the class of the exception the driver died of, as its log names it (a JVM
 *     class such as {@code java.lang.NumberFormatException}, or a Python one such as
 *     {@code ValueError})
 * @param exceptionMessage that exception's message
 * @param rootCause the last {@code Caused by:} of the driver's stack trace, class and message
 * @param logTail the last lines of the driver's log, at most {@link #LOG_LINES}
 * @param events the driver pod's Kubernetes events, oldest first ("Reason: message")
 * @param unavailable what could not be read and why (for example the log of a pod already gone)
 */
public record FailureReport(Category category, JobState state, Optional<String> exception,
    Optional<String> exceptionMessage, Optional<String> rootCause, List<String> logTail,
    List<String> events, List<String> unavailable) {

  /** How many of the driver's last log lines a report keeps. */
  public static final int LOG_LINES = 50;

  /** What kind of failure. */
  public enum Category {
    /**
     * The driver's program threw, or its main class could not be loaded
     * ({@code java.lang.ClassNotFoundException}): see {@link FailureReport#exception()}.
     */
    DRIVER_EXCEPTION,
    /**
     * A container ran out of memory: the driver's (the kernel's OOM killer, or the JVM's
     * OutOfMemoryError), or an executor's that Spark reports lost with exit code 137.
     */
    OUT_OF_MEMORY,
    /** The image could not be pulled or named. */
    IMAGE_PULL,
    /** The driver did not start in time: scheduling, quota or volumes held it. */
    START_TIMEOUT,
    /** Killed through its handle. */
    KILLED,
    /** The driver's node was lost. */
    NODE_LOST,
    /** The driver pod was deleted by someone else. */
    DRIVER_DELETED,
    /** The job's objects could not be created. */
    SUBMISSION_FAILED,
    /** The driver exited non-zero with no exception in its log. */
    EXIT_CODE;

    /**
     * The category a {@link JobState#reason()} decides by itself, whatever the log says
     * (Kubernetes' and the SDK's reasons, such as {@code OOMKilled} or {@code StartTimeout}), or
     * empty when the reason leaves it to the log.
     */
    public static Optional<Category> ofReason(String reason) {
      return Optional.ofNullable(switch (reason == null ? "" : reason) {
        case JobReasons.OOM_KILLED -> OUT_OF_MEMORY;
        case JobReasons.IMAGE_PULL_BACK_OFF, JobReasons.ERR_IMAGE_PULL,
            JobReasons.ERR_IMAGE_NEVER_PULL, JobReasons.INVALID_IMAGE_NAME -> IMAGE_PULL;
        case JobReasons.START_TIMEOUT -> START_TIMEOUT;
        case JobReasons.KILLED -> KILLED;
        case JobReasons.NODE_LOST -> NODE_LOST;
        case JobReasons.DRIVER_DELETED -> DRIVER_DELETED;
        case JobReasons.SUBMISSION_FAILED -> SUBMISSION_FAILED;
        default -> null;
      });
    }

    /** Whether a failure of this category came before the driver's container ran (no log). */
    public boolean beforeTheDriverRan() {
      return this == IMAGE_PULL || this == START_TIMEOUT || this == SUBMISSION_FAILED;
    }
  }

  private static final Pattern THREAD_EXCEPTION = Pattern.compile(
      "Exception in thread \"[^\"]*\" ([\\w$.]+)(?::\\s?(.*))?");
  private static final Pattern CAUSED_BY = Pattern.compile("Caused by: ([\\w$.]+)(?::\\s?(.*))?");
  /** SparkSubmit's own message for a main class that is not on the classpath. */
  private static final Pattern LOAD_CLASS = Pattern.compile(
      ".*Failed to load (?:main )?class ([\\w$.]+?)\\.?\\s*$");
  /** Spark's driver on an executor the kernel killed (exit code 137). */
  private static final String EXECUTOR_OOM = "possible container OOM";
  private static final Pattern PYTHON_ERROR = Pattern.compile(
      "([A-Z]\\w*(?:Error|Exception))(?::\\s?(.*))?");

  /** Copies the lists. */
  public FailureReport {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(state, "state");
    logTail = List.copyOf(logTail);
    events = List.copyOf(events);
    unavailable = List.copyOf(unavailable);
  }

  /**
   * Diagnoses a failed job from its final state, the driver's log and the pod's events. Public so
   * that a caller holding logs from elsewhere (an archive, a log store) can diagnose them too.
   */
  public static FailureReport of(JobState state, List<String> log, List<String> events,
      List<String> unavailable) {
    String exception = null;
    String message = null;
    String rootCause = null;
    boolean python = false;
    boolean executorOom = false;
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i).strip();
      executorOom |= line.contains(EXECUTOR_OOM);
      Matcher m = THREAD_EXCEPTION.matcher(line);
      Matcher load = LOAD_CLASS.matcher(line);
      if (exception == null && load.matches()) {
        exception = "java.lang.ClassNotFoundException";
        message = load.group(1);
      } else if (exception == null && m.matches()) {
        exception = m.group(1);
        message = m.group(2);
        // Spark ends a lost task's line with "Reason:" and gives the reason on the next line
        // ("The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM).").
        if (message != null && message.strip().endsWith("Reason:") && i + 1 < log.size()
            && !log.get(i + 1).strip().startsWith("at ")) {
          message = message.strip() + " " + log.get(i + 1).strip();
        }
      } else if (exception != null && !python && (m = CAUSED_BY.matcher(line)).matches()) {
        rootCause = m.group(2) == null ? m.group(1) : m.group(1) + ": " + m.group(2);
      } else if (line.startsWith("Traceback (most recent call last)")) {
        python = true;
        exception = null;
      } else if (python && !log.get(i).startsWith(" ") && (m = PYTHON_ERROR.matcher(line)).matches()) {
        exception = m.group(1);
        message = m.group(2);
        python = false;
      }
    }
    List<String> tail = new ArrayList<>(log.subList(Math.max(0, log.size() - LOG_LINES), log.size()));
    Category category = category(state, exception, rootCause, executorOom);
    return new FailureReport(category, state, Optional.ofNullable(exception),
        Optional.ofNullable(message), Optional.ofNullable(rootCause), tail, events, unavailable);
  }

  /** The last {@code max} lines of a stream (UTF-8), read to its end; the stream is not closed. */
  public static List<String> lastLines(java.io.InputStream in, int max) throws java.io.IOException {
    java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>(Math.min(max, 4096));
    java.io.BufferedReader r = new java.io.BufferedReader(
        new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (lines.size() == max) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }
    return List.copyOf(lines);
  }

  private static Category category(JobState state, String exception, String rootCause,
      boolean executorOom) {
    Optional<Category> byReason = Category.ofReason(state.reason());
    if (byReason.isPresent()) {
      return byReason.get();
    }
    if ("java.lang.OutOfMemoryError".equals(exception)
        || (rootCause != null && rootCause.startsWith("java.lang.OutOfMemoryError"))) {
      return Category.OUT_OF_MEMORY;
    }
    if (exception == null) {
      return Category.EXIT_CODE;
    }
    // The driver died of a lost executor's effect: the executor's memory is the cause.
    return executorOom ? Category.OUT_OF_MEMORY : Category.DRIVER_EXCEPTION;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(state.phase()).append(" (")
        .append(category.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(')');
    exception.ifPresent(e -> sb.append(": ").append(e)
        .append(exceptionMessage.map(m -> ": " + m).orElse("")));
    sb.append("\n  reason ").append(state.reason().isEmpty() ? "(none)" : state.reason());
    state.exitCode().ifPresent(c -> sb.append(", exit code ").append(c));
    rootCause.ifPresent(c -> sb.append("\n  root cause: ").append(c));
    if (!events.isEmpty()) {
      sb.append("\n  events: ").append(String.join("; ", events));
    }
    unavailable.forEach(u -> sb.append("\n  (unavailable: ").append(u).append(')'));
    if (!logTail.isEmpty()) {
      sb.append("\n  last log lines:");
      logTail.subList(Math.max(0, logTail.size() - 10), logTail.size())
          .forEach(l -> sb.append("\n    ").append(l));
    }
    return sb.toString();
  }
}
