package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobAttempt;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Which attempt a driver pod is, read defensively: the {@link Attempts#ATTEMPT_LABEL} is text
 * that anyone who may create or patch pods in the namespace can set, so a number counts only when
 * it is a plain decimal in {@code 1..maxAttempts} of the job's policy and the pod's application
 * id is the one the SDK gives that attempt (and, when the attempt's objects are known, its name
 * is that attempt's driver's). Any other pod is ignored, with a WARN: it never moves the job's
 * sequence of attempts, so it can never make the SDK create or delete anything. Pure.
 */
final class AttemptNumbers {
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,8}");

  private AttemptNumbers() {}

  /** The attempt a label names, if it is a number in {@code 1..max}. */
  static OptionalInt parse(String label, int max) {
    if (label == null || !NUMBER.matcher(label).matches()) {
      return OptionalInt.empty();
    }
    int n = Integer.parseInt(label);
    return n <= max ? OptionalInt.of(n) : OptionalInt.empty();
  }

  /**
   * The attempt {@code pod} is of job {@code jobId}, or why it is none: its label is out of range
   * or not a number, or its application id or name are not that attempt's.
   */
  static Result of(V1Pod pod, String jobId, int max, IntFunction<Optional<String>> driverName) {
    var labels = pod.getMetadata().getLabels();
    String label = labels == null ? null : labels.get(Attempts.ATTEMPT_LABEL);
    OptionalInt n = parse(label, max);
    if (n.isEmpty()) {
      return new Result(0, "its label " + Attempts.ATTEMPT_LABEL + "=" + label
          + " is not an attempt number in 1.." + max);
    }
    String app = labels.get("spark-app-selector");
    String expected = JobAttempt.appIdOf(jobId, n.getAsInt());
    if (!expected.equals(app)) {
      return new Result(0, "its application id " + app + " is not attempt " + n.getAsInt()
          + "'s (" + expected + ")");
    }
    Optional<String> name = driverName.apply(n.getAsInt());
    if (name.isPresent() && !name.get().equals(pod.getMetadata().getName())) {
      return new Result(0, "attempt " + n.getAsInt() + "'s driver is " + name.get());
    }
    return new Result(n.getAsInt(), "");
  }

  /** An attempt number (from 1), or 0 and why the pod is not an attempt. */
  record Result(int number, String why) {
    boolean valid() {
      return number > 0;
    }
  }

  /**
   * The valid attempts among {@code drivers}, by number; the others are left out and handed to
   * {@code ignored} with why.
   */
  static Map<Integer, V1Pod> byNumber(List<V1Pod> drivers, String jobId, int max,
      IntFunction<Optional<String>> driverName, BiConsumer<V1Pod, String> ignored) {
    Map<Integer, V1Pod> out = new TreeMap<>();
    for (V1Pod p : drivers) {
      Result r = of(p, jobId, max, driverName);
      if (!r.valid()) {
        ignored.accept(p, r.why());
      } else if (out.putIfAbsent(r.number(), p) != null) {
        ignored.accept(p, "attempt " + r.number() + " is "
            + out.get(r.number()).getMetadata().getName() + " already");
      }
    }
    return out;
  }

  /** The WARN about a pod that is not an attempt, once per pod. */
  static void warnIgnored(RecordTrust once, String ns, V1Pod p, String jobId, String why) {
    once.warnOnce("pod " + p.getMetadata().getUid(), () -> Log.LOG.warn(
        "{}/{} is labelled as a driver of job {} but {}: ignored, followed read only (never"
            + " counted as an attempt, never retried)", ns, p.getMetadata().getName(), jobId, why));
  }

  /** The highest attempt in {@code 1..max} that {@code hasEnd} says has a recorded end; else 0. */
  static int lastEnded(int max, java.util.function.IntPredicate hasEnd) {
    for (int n = max; n >= 1; n--) {
      if (hasEnd.test(n)) {
        return n;
      }
    }
    return 0;
  }
}
