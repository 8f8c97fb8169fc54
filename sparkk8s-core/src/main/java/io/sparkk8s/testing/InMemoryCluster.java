package io.sparkk8s.testing;

import io.sparkk8s.ClientDiagnostics;
import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.JobCounts;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.exception.ClusterUnreachableException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an {@link InMemorySparkKubernetes} says about its cluster as a whole: its nodes and the
 * capacity left by the drivers that have not ended, whether it answers, and the counts of its
 * jobs. Not thread-safe: the client calls it holding its lock.
 */
final class InMemoryCluster {
  private boolean nodesGiven;
  private int nodes;
  private long nodeCpuMillis;
  private long nodeMemoryBytes;
  private boolean unreachable;

  void nodes(int count, long cpuMillis, long memoryBytes) {
    if (count < 0 || cpuMillis < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException("nodes, CPU and memory must not be negative: " + count
          + ", " + cpuMillis + ", " + memoryBytes);
    }
    nodesGiven = true;
    nodes = count;
    nodeCpuMillis = cpuMillis;
    nodeMemoryBytes = memoryBytes;
  }

  void unreachable(boolean value) {
    unreachable = value;
  }

  /** Throws what the real client throws when the API server does not answer, if it does not. */
  void ensureReachable(String operation, String kind, String namespace, String name) {
    if (unreachable) {
      throw new ClusterUnreachableException(operation, kind, namespace, name, 0, null,
          "Failed to connect (InMemorySparkKubernetes.unreachable(true))",
          new ConnectException("Failed to connect"));
    }
  }

  /**
   * The nodes given (labelled with their host name and {@code kubernetes.io/os=linux}), whole, with the requests of the drivers that have not ended counted as
   * pending (the fake has no scheduler); unknown when no nodes were given.
   */
  ClusterCapacity capacity(List<ScriptedJob> live) {
    if (!nodesGiven) {
      return ClusterCapacity.unknown("no nodes given: call InMemorySparkKubernetes.nodes(...)",
          Instant.now());
    }
    List<ClusterCapacity.NodeRoom> rooms = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      rooms.add(new ClusterCapacity.NodeRoom("node-" + i, Map.of("kubernetes.io/hostname",
          "node-" + i, "kubernetes.io/os", "linux"), List.of(), nodeCpuMillis, nodeMemoryBytes));
    }
    long cpu = 0;
    long memory = 0;
    for (ScriptedJob j : live) {
      cpu += j.compiled().driverCpuMillis();
      memory += j.compiled().driverMemoryBytes();
    }
    return ClusterCapacity.of(rooms, cpu, memory, live.size(), Map.of(), Instant.now());
  }

  static JobCounts counts(List<ScriptedJob> jobs) {
    Map<String, Long> failed = new TreeMap<>();
    long ok = 0;
    for (ScriptedJob j : jobs) {
      JobState s = j.state();
      if (s.phase() == JobPhase.SUCCEEDED) {
        ok++;
      } else if (s.phase() == JobPhase.FAILED) {
        failed.merge(s.reason(), 1L, Long::sum);
      }
    }
    return new JobCounts(jobs.size(), ok, failed.values().stream().mapToLong(Long::longValue).sum(),
        failed);
  }

  /** What the fake holds: every job submitted (a test is short); it watches nothing. */
  static ClientDiagnostics diagnostics(List<ScriptedJob> jobs) {
    int running = (int) jobs.stream().filter(j -> !j.state().phase().isFinal()).count();
    return new ClientDiagnostics(running, jobs.size() - running, Map.of(),
        ClientDiagnostics.ApiCalls.NONE);
  }

  /** The job created last with this driver pod name or, failing that, this description name. */
  static Optional<ScriptedJob> find(List<ScriptedJob> jobs, String name) {
    for (int i = jobs.size() - 1; i >= 0; i--) {
      if (jobs.get(i).driverPodName().equals(name)) {
        return Optional.of(jobs.get(i));
      }
    }
    for (int i = jobs.size() - 1; i >= 0; i--) {
      if (jobs.get(i).description().name().equals(name)) {
        return Optional.of(jobs.get(i));
      }
    }
    return Optional.empty();
  }
}
