package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.ClusterCapacity.NodeRoom;
import io.sparkk8s.ClusterCapacity.QuotaRoom;
import io.sparkk8s.ClusterCapacity.Taint;
import io.sparkk8s.spec.Toleration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many drivers fit: per node, whole drivers, less pending and reserved, within quotas. */
class ClusterCapacityTest {
  private static final long GIB = 1L << 30;
  private static final Taint KWOK = new Taint("kwok.x-k8s.io/node", "fake", "NoSchedule");
  private final ClusterCapacity capacity = ClusterCapacity.of(List.of(
      new NodeRoom("n1", Map.of("pool", "a"), List.of(), 3_500, 64 * GIB),
      new NodeRoom("n2", Map.of("pool", "b"), List.of(), 4_000, 2 * GIB),
      new NodeRoom("n3", Map.of("pool", "a"), List.of(KWOK), 10_000, 100 * GIB),
      new NodeRoom("n4", Map.of("pool", "a"), List.of(), -500, 4 * GIB)),
      0, 0, 0, Map.of("tight", new QuotaRoom(Long.MAX_VALUE, Long.MAX_VALUE, 2)),
      Instant.EPOCH);

  private long fit(String ns, Map<String, String> selector, List<Toleration> tolerations,
      long reservedCpu) {
    return capacity.driversThatFit(ns, selector, tolerations, 1000, GIB, reservedCpu, 0);
  }

  @Test
  void eachNodeCountsWholeDriversOfItsOwnRoom() {
    // n1: 3 (CPU), n2: 2 (memory), n3: tainted, n4: over-committed.
    assertThat(fit("ns", Map.of(), List.of(), 0)).isEqualTo(5);
  }

  @Test
  void taintsKeepDriversOffUnlessTolerated() {
    assertThat(fit("ns", Map.of(), List.of(Toleration.exists("kwok.x-k8s.io/node")), 0))
        .isEqualTo(15);
    assertThat(fit("ns", Map.of(), List.of(Toleration.equal("kwok.x-k8s.io/node", "real",
        "NoSchedule")), 0)).isEqualTo(5);
    assertThat(fit("ns", Map.of(), List.of(Toleration.equal("kwok.x-k8s.io/node", "fake",
        null)), 0)).isEqualTo(15);
  }

  @Test
  void aNodeSelectorCountsOnlyItsNodes() {
    assertThat(fit("ns", Map.of("pool", "b"), List.of(), 0)).isEqualTo(2);
  }

  @Test
  void pendingPodsReservationsAndQuotasTakeTheirShare() {
    assertThat(fit("ns", Map.of(), List.of(), 1_500)).isEqualTo(3);
    assertThat(fit("tight", Map.of(), List.of(), 0)).isEqualTo(2);
    ClusterCapacity pending = ClusterCapacity.of(capacity.nodes(), 2_000, GIB / 2, 3, Map.of(),
        Instant.EPOCH);
    assertThat(pending.driversThatFit("ns", Map.of(), List.of(), 1000, GIB, 0, 0)).isEqualTo(3);
  }

  @Test
  void anUnknownCapacityFitsNothingAndSaysWhy() {
    ClusterCapacity unknown = ClusterCapacity.unknown("may not list nodes", Instant.EPOCH);
    assertThat(unknown.isKnown()).isFalse();
    assertThat(unknown.driversThatFit("ns", Map.of(), List.of(), 1, 1, 0, 0)).isZero();
    assertThat(unknown).hasToString("capacity unknown: may not list nodes");
  }
}
