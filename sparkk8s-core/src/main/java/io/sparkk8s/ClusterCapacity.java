package io.sparkk8s;

import io.sparkk8s.spec.Toleration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How much room a cluster has for more drivers, as read from its API server at {@link #readAt()}:
 * per schedulable node, its allocatable CPU and memory minus what the pods bound to it request;
 * the requests of pods not yet scheduled (they will take room somewhere); and per namespace what
 * its ResourceQuotas leave. {@link #driversThatFit} turns that into a number for one driver.
 *
 * <pre>{@code
 * ClusterCapacity c = spark.capacity();
 * long room = c.driversThatFit("spark-jobs", Map.of(), List.of(), 1000, 1408L << 20);
 * }</pre>
 *
 * <p>Reading it needs the rights to list nodes, pods and ResourceQuotas in every namespace (a
 * ClusterRole); without them, or without an answer, it is {@link #unknown} with the reason.
 */
public final class ClusterCapacity {
  /** Selector and tolerations already matched against the nodes: few per scheduler. */
  private static final int MATCHES_REMEMBERED = 32;

  private final List<NodeRoom> nodes;
  private final long pendingCpuMillis;
  private final long pendingMemoryBytes;
  private final int pendingPods;
  private final Map<String, QuotaRoom> quotas;
  private final Instant readAt;
  private final Optional<String> unknownBecause;
  private final Map<String, List<NodeRoom>> matches = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<NodeRoom>> eldest) {
      return size() > MATCHES_REMEMBERED;
    }
  };

  private ClusterCapacity(List<NodeRoom> nodes, long pendingCpuMillis, long pendingMemoryBytes,
      int pendingPods, Map<String, QuotaRoom> quotas, Instant readAt,
      Optional<String> unknownBecause) {
    this.nodes = List.copyOf(nodes);
    this.pendingCpuMillis = pendingCpuMillis;
    this.pendingMemoryBytes = pendingMemoryBytes;
    this.pendingPods = pendingPods;
    this.quotas = Map.copyOf(quotas);
    this.readAt = Objects.requireNonNull(readAt, "readAt");
    this.unknownBecause = unknownBecause;
  }

  /**
   * A capacity read at {@code readAt}.
   *
   * @param nodes the schedulable, Ready nodes with their free room
   * @param pendingCpuMillis what pods not bound to a node yet request, CPU
   * @param pendingMemoryBytes what pods not bound to a node yet request, memory
   * @param pendingPods how many such pods
   * @param quotas by namespace, what its ResourceQuotas leave (namespaces without one absent)
   */
  public static ClusterCapacity of(List<NodeRoom> nodes, long pendingCpuMillis,
      long pendingMemoryBytes, int pendingPods, Map<String, QuotaRoom> quotas, Instant readAt) {
    return new ClusterCapacity(nodes, pendingCpuMillis, pendingMemoryBytes, pendingPods, quotas,
        readAt, Optional.empty());
  }

  /** A capacity that could not be read, and why (for example, "may not list nodes"). */
  public static ClusterCapacity unknown(String reason, Instant readAt) {
    return new ClusterCapacity(List.of(), 0, 0, 0, Map.of(), readAt,
        Optional.of(Objects.requireNonNull(reason, "reason")));
  }

  /** The schedulable, Ready nodes and their free room. */
  public List<NodeRoom> nodes() {
    return nodes;
  }

  /** How many pods wait for a node. */
  public int pendingPods() {
    return pendingPods;
  }

  /** What each namespace's ResourceQuotas leave, for namespaces that have one. */
  public Map<String, QuotaRoom> quotas() {
    return quotas;
  }

  /** When the API server was asked. */
  public Instant readAt() {
    return readAt;
  }

  /** Why the capacity is not known; empty when it was read. */
  public Optional<String> unknownBecause() {
    return unknownBecause;
  }

  /** Whether it was read ({@link #unknownBecause()} is empty). */
  public boolean isKnown() {
    return unknownBecause.isEmpty();
  }

  /**
   * How many more drivers asking {@code cpuMillis} and {@code memoryBytes} fit: on the nodes that
   * match {@code nodeSelector} and whose {@code NoSchedule}/{@code NoExecute} taints {@code
   * tolerations} tolerate, each node counting whole drivers; less what pending pods and {@code
   * reservedCpuMillis}/{@code reservedMemoryBytes} (placed since this was read) will take; at most
   * what the namespace's quotas leave. 0 when unknown.
   */
  public long driversThatFit(String namespace, Map<String, String> nodeSelector,
      List<Toleration> tolerations, long cpuMillis, long memoryBytes, long reservedCpuMillis,
      long reservedMemoryBytes) {
    if (!isKnown()) {
      return 0;
    }
    long cpu = Math.max(1, cpuMillis);
    long memory = Math.max(1, memoryBytes);
    long fit = 0;
    for (NodeRoom n : matching(nodeSelector, tolerations)) {
      fit += Math.max(0, Math.min(n.freeCpuMillis() / cpu, n.freeMemoryBytes() / memory));
    }
    long taken = Math.max(ceil(pendingCpuMillis + reservedCpuMillis, cpu),
        ceil(pendingMemoryBytes + reservedMemoryBytes, memory));
    fit = Math.max(0, fit - taken);
    QuotaRoom q = quotas.get(namespace);
    if (q != null) {
      fit = Math.min(fit, Math.max(0, Math.min(q.pods(),
          Math.min((q.cpuMillis() - reservedCpuMillis) / cpu,
              (q.memoryBytes() - reservedMemoryBytes) / memory))));
    }
    return fit;
  }

  private static long ceil(long amount, long unit) {
    return amount <= 0 ? 0 : (amount + unit - 1) / unit;
  }

  private List<NodeRoom> matching(Map<String, String> nodeSelector, List<Toleration> tolerations) {
    String key = nodeSelector + "|" + tolerations;
    synchronized (matches) {
      List<NodeRoom> m = matches.get(key);
      if (m == null) {
        m = new ArrayList<>();
        for (NodeRoom n : nodes) {
          if (n.labels().entrySet().containsAll(nodeSelector.entrySet())
              && n.taints().stream().allMatch(t -> t.toleratedBy(tolerations))) {
            m.add(n);
          }
        }
        matches.put(key, List.copyOf(m));
      }
      return m;
    }
  }

  @Override
  public String toString() {
    if (!isKnown()) {
      return "capacity unknown: " + unknownBecause.get();
    }
    long cpu = nodes.stream().mapToLong(NodeRoom::freeCpuMillis).sum();
    long mem = nodes.stream().mapToLong(NodeRoom::freeMemoryBytes).sum();
    return nodes.size() + " nodes, " + cpu + "m CPU and " + (mem >> 20) + " MiB free, "
        + pendingPods + " pods pending";
  }

  /**
   * One schedulable node: its labels, its taints that keep pods off ({@code NoSchedule}, {@code
   * NoExecute}), and what is left of its allocatable CPU and memory after the requests of the
   * pods bound to it (negative when over-committed).
   */
  public record NodeRoom(String name, Map<String, String> labels, List<Taint> taints,
      long freeCpuMillis, long freeMemoryBytes) {
    public NodeRoom {
      Objects.requireNonNull(name, "name");
      labels = Map.copyOf(labels);
      taints = List.copyOf(taints);
    }
  }

  /** A node taint that keeps pods off unless they tolerate it. */
  public record Taint(String key, String value, String effect) {
    public Taint {
      Objects.requireNonNull(key, "key");
      value = value == null ? "" : value;
      Objects.requireNonNull(effect, "effect");
    }

    /** Whether one of {@code tolerations} tolerates it, as the scheduler decides. */
    public boolean toleratedBy(List<Toleration> tolerations) {
      for (Toleration t : tolerations) {
        boolean effectOk = t.effect().map(effect::equals).orElse(true);
        boolean keyOk = t.key().map(key::equals).orElse("Exists".equals(t.operator()));
        boolean valueOk = "Exists".equals(t.operator()) || t.value().orElse("").equals(value);
        if (effectOk && keyOk && valueOk) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * What the ResourceQuotas of a namespace leave (the least over its quotas; {@link Long#MAX_VALUE}
   * where none limits): requested CPU, requested memory and pods.
   */
  public record QuotaRoom(long cpuMillis, long memoryBytes, long pods) {}
}
