package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.sparkk8s.api.ApiRetry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which nodes are lost, told apart from a control plane that was away (no I/O; {@link NodeWatch}
 * feeds it). A node is lost when its Ready condition is {@code Unknown}: the node controller saw
 * neither a status nor a lease renewal from its kubelet within its grace period.
 *
 * <p>The controller cannot tell why the kubelet was silent. When the API server itself was down
 * for longer than the grace period, every kubelet was silent, and the controller marks every node
 * {@code Unknown} as soon as the API server is back, minutes before the kubelets (which kept their
 * pods running) report again. This client saw that outage too: its own watches failed. So a node
 * that goes {@code Unknown} within {@link #SETTLE} of this client's last failed contact is held:
 * not lost until its kubelet has had {@code SETTLE} after the outage to report, and reported lost
 * then only if it is still {@code Unknown}. A node that goes {@code Unknown} while this client
 * reaches the API server is lost at once, as before.
 */
final class NodeHealth {
  /**
   * How long after an outage a kubelet may take to report again: its status loop runs every 10 s
   * and its lease is renewed every 10 s, after a backoff of up to 7 s; the controller looks every
   * 5 s. Twice that sum, for a loaded machine.
   */
  static final Duration SETTLE = Duration.ofSeconds(60);

  /**
   * How long a deleted node is remembered as lost: long enough for its drivers' handles to see it
   * (the pod garbage collector deletes their pods within a minute), short enough that a cluster
   * whose autoscaler adds and removes nodes for months does not grow this map.
   */
  static final Duration DELETED_KEPT = Duration.ofHours(1);
  private static final String DELETED = "the node was deleted";

  /**
   * A node seen {@code Unknown} (or deleted): why, until when that is blamed on the control plane,
   * and since when (for forgetting deleted nodes).
   */
  private record Unknown(String why, long heldUntilNanos, long sinceNanos) {}

  private final Map<String, Unknown> unknown = new ConcurrentHashMap<>();
  private final AtomicLong lastOutageNanos = new AtomicLong();
  private volatile boolean outageSeen;

  /** This client failed to reach the API server at {@code nowNanos} (only outages count). */
  void failed(Throwable error, long nowNanos) {
    if (isOutage(error)) {
      lastOutageNanos.accumulateAndGet(nowNanos, Math::max);
      outageSeen = true;
    }
  }

  /**
   * Takes a node's current state; returns when the node's lost state must be looked at again
   * (a held node's hold ends then), or empty. {@code changed} says whether what {@link #lost}
   * answers for the node changed now.
   */
  Update update(V1Node node, long nowNanos) {
    String name = node.getMetadata().getName();
    Optional<V1NodeCondition> ready = node.getStatus() == null
        || node.getStatus().getConditions() == null ? Optional.empty()
        : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .findFirst();
    // Only Unknown means the kubelet is gone; Ready=False is a kubelet reporting a problem, and
    // its pods' own status stays trustworthy.
    if (ready.isEmpty() || !"Unknown".equals(ready.get().getStatus())) {
      Unknown was = unknown.remove(name);
      return new Update(was != null && was.heldUntilNanos <= nowNanos, Optional.empty());
    }
    V1NodeCondition c = ready.get();
    String why = "node " + name + " stopped reporting (Ready=Unknown"
        + (c.getReason() == null ? "" : ", " + c.getReason()) + ")"
        + (c.getMessage() == null ? "" : ": " + c.getMessage());
    Unknown was = unknown.get(name);
    long heldUntil = was != null ? was.heldUntilNanos : holdFrom(nowNanos);
    unknown.put(name, new Unknown(why, heldUntil, was != null ? was.sinceNanos : nowNanos));
    boolean held = heldUntil > nowNanos;
    if (held) {
      return new Update(false, Optional.of(Duration.ofNanos(heldUntil - nowNanos)));
    }
    return new Update(was == null || !why.equals(was.why), Optional.empty());
  }

  /**
   * The node was deleted: lost, whatever the control plane did; remembered for
   * {@link #DELETED_KEPT}, and nodes deleted longer ago than that are forgotten now.
   */
  boolean deleted(String name, long nowNanos) {
    unknown.values().removeIf(u -> u.why.equals(DELETED)
        && nowNanos - u.sinceNanos > DELETED_KEPT.toNanos());
    Unknown was = unknown.put(name, new Unknown(DELETED, 0, nowNanos));
    return was == null || !was.why.equals(DELETED);
  }

  /** How many nodes are remembered as Unknown or deleted, for tests. */
  int remembered() {
    return unknown.size();
  }

  /** Why the node is lost, or empty when it is not (or is held, see the class comment). */
  Optional<String> lost(String nodeName, long nowNanos) {
    Unknown u = nodeName == null ? null : unknown.get(nodeName);
    return u == null || u.heldUntilNanos > nowNanos ? Optional.empty() : Optional.of(u.why);
  }

  /** Whether the node is Unknown but held, for logs and tests. */
  boolean held(String nodeName, long nowNanos) {
    Unknown u = unknown.get(nodeName);
    return u != null && u.heldUntilNanos > nowNanos;
  }

  private long holdFrom(long nowNanos) {
    if (!outageSeen) {
      return 0;
    }
    long until = lastOutageNanos.get() + SETTLE.toNanos();
    return until > nowNanos ? until : 0;
  }

  /**
   * Whether a watch's error says the API server could not be reached or could not serve (no
   * answer, 429, 5xx), rather than refusing this client (401, 403) or its resourceVersion (410).
   */
  static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof ApiException e) {
        return ApiRetry.retryable(e.getCode());
      }
    }
    return false;
  }

  /**
   * What an update did.
   *
   * @param changed whether the node's lost state, as {@link #lost} answers it, changed
   * @param recheckIn when a held node's hold ends, if one does
   */
  record Update(boolean changed, Optional<Duration> recheckIn) {}
}
