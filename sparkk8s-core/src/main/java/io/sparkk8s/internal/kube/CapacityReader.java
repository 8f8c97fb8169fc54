package io.sparkk8s.internal.kube;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1Taint;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.ClusterCapacity.NodeRoom;
import io.sparkk8s.ClusterCapacity.QuotaRoom;
import io.sparkk8s.ClusterCapacity.Taint;
import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ForbiddenException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ClusterCapacity}: nodes, the pods that have not ended in every namespace (from
 * the API server's watch cache, {@code resourceVersion=0}) and every ResourceQuota. One attempt per
 * call, no retries: a caller polls it, and a cluster that does not answer is better known at once.
 */
final class CapacityReader {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private final CoreV1Api core;
  private final ApiRetry once = new ApiRetry(ApiRetryPolicy.defaults().withMaxAttempts(1));

  CapacityReader(ApiClient api) {
    this.core = new CoreV1Api(api);
  }

  ClusterCapacity read() {
    Instant at = Instant.now();
    try {
      List<V1Node> nodes = once.call(new ApiErrors.Target("list", "Node", "", ""),
          () -> core.listNode().resourceVersion("0").execute().getItems());
      List<V1Pod> pods = once.call(new ApiErrors.Target("list", "Pod", "", "not ended"),
          () -> core.listPodForAllNamespaces().resourceVersion("0")
              .fieldSelector("status.phase!=Succeeded,status.phase!=Failed").execute().getItems());
      List<V1ResourceQuota> quotas = once.call(new ApiErrors.Target("list", "ResourceQuota", "", ""),
          () -> core.listResourceQuotaForAllNamespaces().resourceVersion("0").execute()
              .getItems());
      return of(nodes, pods, quotas, at);
    } catch (ForbiddenException e) {
      return ClusterCapacity.unknown("may not read it (" + e.getMessage() + "); grant list on"
          + " nodes, pods and resourcequotas in every namespace", at);
    }
  }

  static ClusterCapacity of(List<V1Node> nodeList, List<V1Pod> pods,
      List<V1ResourceQuota> quotaList, Instant at) {
    Map<String, long[]> requested = new HashMap<>();
    long[] pending = new long[3];
    for (V1Pod p : pods) {
      long[] ask = requests(p);
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        pending[0] += ask[0];
        pending[1] += ask[1];
        pending[2]++;
      } else {
        long[] sum = requested.computeIfAbsent(node, n -> new long[2]);
        sum[0] += ask[0];
        sum[1] += ask[1];
      }
    }
    List<NodeRoom> nodes = new ArrayList<>();
    for (V1Node n : nodeList) {
      if (!schedulable(n)) {
        continue;
      }
      String name = n.getMetadata().getName();
      Map<String, Quantity> alloc = n.getStatus().getAllocatable();
      long[] used = requested.getOrDefault(name, new long[2]);
      List<Taint> taints = new ArrayList<>();
      for (V1Taint t : n.getSpec().getTaints() == null ? List.<V1Taint>of() : n.getSpec().getTaints()) {
        if ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) {
          taints.add(new Taint(t.getKey(), t.getValue(), t.getEffect()));
        }
      }
      Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of()
          : n.getMetadata().getLabels();
      nodes.add(new NodeRoom(name, labels, taints, millis(alloc.get("cpu")) - used[0],
          bytes(alloc.get("memory")) - used[1]));
    }
    Map<String, QuotaRoom> quotas = new HashMap<>();
    for (V1ResourceQuota q : quotaList) {
      if (q.getStatus() == null || q.getStatus().getHard() == null) {
        continue;
      }
      Map<String, Quantity> hard = q.getStatus().getHard();
      Map<String, Quantity> used = q.getStatus().getUsed() == null ? Map.of() : q.getStatus().getUsed();
      QuotaRoom room = new QuotaRoom(
          Math.min(left(hard, used, "requests.cpu", true), left(hard, used, "cpu", true)),
          Math.min(left(hard, used, "requests.memory", false), left(hard, used, "memory", false)),
          Math.min(left(hard, used, "pods", false), left(hard, used, "count/pods", false)));
      quotas.merge(q.getMetadata().getNamespace(), room, (a, b) -> new QuotaRoom(
          Math.min(a.cpuMillis(), b.cpuMillis()), Math.min(a.memoryBytes(), b.memoryBytes()),
          Math.min(a.pods(), b.pods())));
    }
    return ClusterCapacity.of(nodes, pending[0], pending[1], (int) pending[2], quotas, at);
  }

  private static boolean schedulable(V1Node n) {
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return false;
    }
    if (n.getStatus() == null || n.getStatus().getAllocatable() == null
        || n.getStatus().getConditions() == null) {
      return false;
    }
    for (V1NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** CPU millis and memory bytes the pod requests: its containers, or an init container if more. */
  private static long[] requests(V1Pod p) {
    long[] sum = new long[2];
    if (p.getSpec() == null) {
      return sum;
    }
    for (V1Container c : p.getSpec().getContainers()) {
      sum[0] += request(c, "cpu", true);
      sum[1] += request(c, "memory", false);
    }
    if (p.getSpec().getInitContainers() != null) {
      for (V1Container c : p.getSpec().getInitContainers()) {
        sum[0] = Math.max(sum[0], request(c, "cpu", true));
        sum[1] = Math.max(sum[1], request(c, "memory", false));
      }
    }
    return sum;
  }

  private static long request(V1Container c, String resource, boolean cpu) {
    if (c.getResources() == null || c.getResources().getRequests() == null) {
      return 0;
    }
    Quantity q = c.getResources().getRequests().get(resource);
    return cpu ? millis(q) : bytes(q);
  }

  private static long left(Map<String, Quantity> hard, Map<String, Quantity> used, String key,
      boolean cpu) {
    Quantity h = hard.get(key);
    if (h == null) {
      return Long.MAX_VALUE;
    }
    Quantity u = used.get(key);
    long inUse = u == null ? 0 : cpu ? millis(u) : bytes(u);
    return (cpu ? millis(h) : bytes(h)) - inUse;
  }

  private static long millis(Quantity q) {
    return q == null ? 0 : q.getNumber().multiply(THOUSAND).longValue();
  }

  private static long bytes(Quantity q) {
    return q == null ? 0 : q.getNumber().longValue();
  }
}
