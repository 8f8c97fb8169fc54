package io.sparkk8s.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sparkk8s.JobPhase;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs of a lost cluster moved once, and the drivers left there deleted when it is back. */
class LostRunsTest {
  private final InMemorySparkKubernetes a = FleetFixtures.cluster(1);
  private final InMemorySparkKubernetes b = FleetFixtures.cluster(1);
  private SparkFleet fleet;

  @AfterEach
  void close() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static SparkJob job(int i) {
    return FleetFixtures.job(i);
  }

  @Test
  void theRunsOfALostClusterMoveOnceAndItsDriversGoWhenItIsBack() {
    fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a)).cluster(FleetCluster.of("b", b))
        .policy(PlacementPolicy.spread()).capacityRefresh(Duration.ofMillis(200))
        .resubmitLostJobs(Duration.ofSeconds(1)).build();
    fleet.refreshCapacity();
    List<FleetJobHandle> runs = List.of(fleet.submit(job(1)), fleet.submit(job(2)),
        fleet.submit(job(3)), fleet.submit(job(4)));
    assertThat(runs).extracting(FleetJobHandle::cluster).containsExactly("a", "b", "a", "b");
    List<String> onB = List.of(runs.get(1).runId(), runs.get(3).runId());

    b.unreachable(true);
    await("b's runs moved to a").atMost(Duration.ofSeconds(20))
        .until(() -> runs.stream().allMatch(r -> r.cluster().equals("a")));
    assertThat(runs.get(1).moves()).singleElement().satisfies(d -> {
      assertThat(d.cluster()).isEqualTo("a");
      assertThat(d.reason()).startsWith("moved: b lost (its capacity could not be read");
    });
    assertThat(runs.get(1).job().appId()).isEqualTo(onB.get(0));
    // Once: after three more passes (a's capacity read again three times), one driver each on a.
    afterThreeMorePasses();
    assertThat(a.jobs()).hasSize(4);
    assertThat(a.jobs().stream().map(j -> j.compiled().appId()).filter(onB::contains))
        .hasSize(2);

    b.unreachable(false);
    await("the drivers left on b deleted").atMost(Duration.ofSeconds(20))
        .until(() -> b.jobs().stream().allMatch(j -> j.state().phase() == JobPhase.FAILED));
    assertThat(b.jobs()).allSatisfy(j -> assertThat(j.state().reason()).isEqualTo("Killed"));
    // The moved runs are in flight on a only.
    assertThat(fleet.clusters()).extracting(ClusterView::inFlight).containsExactly(4, 0);
  }

  /** Waits until a's capacity was read at least 600 ms (three refreshes) after now. */
  private void afterThreeMorePasses() {
    java.time.Instant now = java.time.Instant.now();
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.clusters().get(0).capacity()
        .readAt().isAfter(now.plusMillis(600)));
  }

  @Test
  void withoutTheSettingARunWaitsForItsCluster() throws Exception {
    fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a)).cluster(FleetCluster.of("b", b))
        .policy(PlacementPolicy.spread()).capacityRefresh(Duration.ofMillis(200)).build();
    fleet.refreshCapacity();
    fleet.submit(job(1));
    FleetJobHandle second = fleet.submit(job(2));
    b.unreachable(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> !fleet.clusters().get(1).isUp());
    afterThreeMorePasses();
    afterThreeMorePasses();
    assertThat(second.cluster()).isEqualTo("b");
    assertThat(a.jobs()).hasSize(1);
  }

  @Test
  void twoSchedulersSharingALedgerMoveARunOnceAndBothFollowIt() {
    RunLedger ledger = new InMemoryRunLedger();
    fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a)).cluster(FleetCluster.of("b", b))
        .policy(PlacementPolicy.spread()).capacityRefresh(Duration.ofMillis(200)).runLedger(ledger)
        .resubmitLostJobs(Duration.ofSeconds(1)).build();
    SparkFleet other = SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("b", b)).policy(PlacementPolicy.byCapacity())
        .capacityRefresh(Duration.ofMillis(200)).runLedger(ledger)
        .resubmitLostJobs(Duration.ofSeconds(1)).build();
    try {
      fleet.submit(job(1));
      FleetJobHandle mine = fleet.submit(job(2));
      FleetJobHandle theirs = other.submit(job(2)); // the same run: the ledger sends it to b
      assertThat(List.of(mine.cluster(), theirs.cluster())).containsExactly("b", "b");
      assertThat(theirs.job()).isSameAs(mine.job());

      b.unreachable(true);
      await("both schedulers follow the run to a").atMost(Duration.ofSeconds(20))
          .until(() -> mine.cluster().equals("a") && theirs.cluster().equals("a"));
      afterThreeMorePasses();
      assertThat(a.jobs().stream().filter(j -> j.compiled().appId().equals(mine.runId())))
          .hasSize(1);
      assertThat(List.of(mine.moves().get(0).reason(), theirs.moves().get(0).reason()))
          .anyMatch(r -> r.startsWith("moved: b lost"))
          .anyMatch(r -> r.startsWith("moved by another scheduler: b lost; the run ledger names a"));
      assertThat(ledger.owner(mine.runId()).get().cluster()).isEqualTo("a");
    } finally {
      other.close();
    }
  }

  @Test
  void theLedgerAndTheFleetHoldOnlyRunsInFlight() {
    InMemoryRunLedger ledger = new InMemoryRunLedger();
    fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a)).cluster(FleetCluster.of("b", b))
        .runLedger(ledger).capacityRefresh(Duration.ofHours(1)).build();
    for (int i = 0; i < 50; i++) {
      fleet.submit(job(i));
    }
    assertThat(ledger.size()).isEqualTo(50);
    assertThat(fleet.clusters()).extracting(ClusterView::inFlight).containsExactly(25, 25);
    a.jobs().forEach(j -> j.running().succeed());
    b.jobs().forEach(j -> j.running().fail(1, "Error"));
    assertThat(ledger.size()).isZero();
    assertThat(fleet.clusters()).extracting(ClusterView::inFlight).containsExactly(0, 0);
  }

  @Test
  void theLedgerLetsOneCallerMoveARun() throws Exception {
    RunLedger ledger = new InMemoryRunLedger();
    RunLedger.Ownership first = ledger.claim("run", "b");
    assertThat(ledger.claim("run", "a")).isEqualTo(first);
    CyclicBarrier start = new CyclicBarrier(8);
    List<CompletableFuture<Boolean>> movers = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String to = "c" + i;
      movers.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return ledger.move("run", first, to);
      }));
    }
    assertThat(movers.stream().filter(CompletableFuture::join).count()).isEqualTo(1);
    assertThat(ledger.owner("run").get().version()).isEqualTo(2);
    ledger.release("run", first);
    assertThat(ledger.owner("run")).isPresent();
    ledger.release("run", ledger.owner("run").get());
    assertThat(ledger.owner("run")).isEmpty();
  }
}
