package io.sparkk8s.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.JobPhase;
import io.sparkk8s.OnConflict;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real {@link SparkFleet} over clusters of the test kit: placement, failover, one view. */
class SparkFleetTest {
  private final InMemorySparkKubernetes a = FleetFixtures.cluster(2);
  private final InMemorySparkKubernetes b = FleetFixtures.cluster(1);
  private SparkFleet fleet;

  @AfterEach
  void close() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private SparkFleet fleet(PlacementPolicy policy) {
    fleet = SparkFleet.builder()
        .cluster(FleetCluster.of("a", a).withLabels(Map.of("cloud", "gcp", "tier", "cloud")))
        .cluster(FleetCluster.of("b", b).withLabels(Map.of("cloud", "aws", "tier", "on-prem")))
        .policy(policy).capacityRefresh(Duration.ofHours(1)).build();
    return fleet;
  }

  private static SparkJob job(int i) {
    return FleetFixtures.job(i);
  }

  @Test
  void byCapacityPlacesInProportionToFreeRoomEvenlyInterleaved() {
    fleet(PlacementPolicy.byCapacity());
    List<String> order = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      order.add(fleet.submit(job(i)).cluster());
    }
    Map<String, Long> counts = order.stream().collect(Collectors.groupingBy(c -> c,
        Collectors.counting()));
    // 128 and 64 drivers of 1 CPU fit: two to one, within a job or two.
    assertThat(counts.get("a")).isBetween(98L, 102L);
    assertThat(counts.get("b")).isBetween(48L, 52L);
    // Interleaved, not in runs: no cluster gets more than three in a row.
    assertThat(String.join("", order.stream().map(c -> c).toList())).doesNotContain("aaaa")
        .doesNotContain("bbb");
    assertThat(a.jobs()).hasSize(counts.get("a").intValue());
    assertThat(b.jobs()).hasSize(counts.get("b").intValue());
  }

  @Test
  void theDecisionAndItsReasonAreOnTheHandle() {
    fleet(PlacementPolicy.byCapacity());
    FleetJobHandle placed = fleet.submit(job(1));
    assertThat(placed.placement()).isPresent();
    PlacementDecision d = placed.placement().get();
    assertThat(d.cluster()).isEqualTo(placed.cluster()).isEqualTo("a");
    assertThat(d.reason()).contains("by capacity").contains("room for 128 more drivers")
        .contains("of 192");
    assertThat(placed.id()).isEqualTo("a/spark/" + placed.job().name());
  }

  @Test
  void aClusterThatStopsAnsweringIsPassedOverWithTheReasonAndNoErrorReachesTheCaller() {
    fleet(PlacementPolicy.byCapacity().preferring("cloud", List.of("aws", "gcp")));
    fleet.refreshCapacity();
    b.unreachable(true); // between two capacity reads: the fleet still thinks b is up
    FleetJobHandle first = fleet.submit(job(1));
    assertThat(first.cluster()).isEqualTo("a");
    assertThat(first.placement().get().passedOver()).singleElement()
        .satisfies(c -> assertThat(c.cluster()).isEqualTo("b"))
        .satisfies(c -> assertThat(c.reason()).startsWith("did not answer"));
    // Now known down: left out by the policy without a call.
    FleetJobHandle second = fleet.submit(job(2));
    assertThat(second.cluster()).isEqualTo("a");
    assertThat(second.placement().get().passedOver()).singleElement()
        .satisfies(c -> assertThat(c.reason()).startsWith("down: did not answer a submit"));
    assertThat(b.jobs()).isEmpty();
    // Back: the next read finds it up, and the preferred cluster takes jobs again.
    b.unreachable(false);
    fleet.refreshCapacity();
    assertThat(fleet.submit(job(3)).cluster()).isEqualTo("b");
  }

  @Test
  void aFullFleetSaysWhichClusterLackedWhatAndWhatToDo() {
    a.nodes(1, 500, FleetFixtures.GIB);
    b.nodes(0, 0, 0);
    b.unreachable(true);
    fleet(PlacementPolicy.byCapacity());
    assertThatThrownBy(() -> fleet.submit(job(1))).isInstanceOf(SparkK8sException.class)
        .hasMessageContaining("no cluster of the fleet took job spark/job-1")
        .hasMessageContaining("a: full: no room for a driver of 1000m CPU and 1408 MiB")
        .hasMessageContaining("b: down: its capacity could not be read")
        .hasMessageContaining("What to do");
  }

  @Test
  void requiredLabelsLeaveOtherClustersOutWithTheLabel() {
    fleet(PlacementPolicy.byCapacity().requiring(Map.of("cloud", "aws")));
    for (int i = 0; i < 5; i++) {
      FleetJobHandle h = fleet.submit(job(i));
      assertThat(h.cluster()).isEqualTo("b");
      assertThat(h.placement().get().passedOver()).singleElement()
          .isEqualTo(new Placement.Choice("a", "lacks the required label cloud=aws"));
    }
  }

  @Test
  void preferenceFallsBackToTheNextGroupOnlyWhenThePreferredIsFull() {
    b.nodes(1, 2_000, 512 * FleetFixtures.GIB); // room for two drivers
    fleet(PlacementPolicy.byCapacity().preferring("tier", List.of("on-prem", "cloud")));
    assertThat(List.of(fleet.submit(job(1)).cluster(), fleet.submit(job(2)).cluster(),
        fleet.submit(job(3)).cluster())).containsExactly("b", "b", "a");
    assertThat(fleet.submit(job(4)).placement().get().reason())
        .startsWith("tier=cloud (preference 2 of 2)");
  }

  @Test
  void spreadGoesToTheClusterWithFewestJobsInFlightAndEndedJobsLeaveIt() {
    fleet(PlacementPolicy.spread());
    FleetJobHandle first = fleet.submit(job(1));
    FleetJobHandle second = fleet.submit(job(2));
    assertThat(List.of(first.cluster(), second.cluster())).containsExactly("a", "b");
    a.job(first.job().name()).running().succeed();
    assertThat(fleet.submit(job(3)).cluster()).isEqualTo("a");
    assertThat(fleet.clusters()).extracting(ClusterView::inFlight).containsExactly(1, 1);
  }

  @Test
  void aCallersPolicyIsAFunctionOfTheViews() {
    fleet(request -> new Placement(request.clusters().stream()
        .filter(v -> v.labels().get("cloud").equals("aws"))
        .map(v -> new Placement.Choice(v.name(), "mine: " + v.driversThatFit())).toList(),
        List.of()));
    assertThat(fleet.submit(job(1)).placement().get().reason()).isEqualTo("mine: 64");
  }

  @Test
  void aRetriedSubmitOfTheSameRunGoesWhereTheRunIsAndAttaches() {
    fleet(PlacementPolicy.byCapacity());
    FleetJobHandle first = fleet.submit(job(1));
    FleetJobHandle again = fleet.submit(job(1));
    assertThat(again.cluster()).isEqualTo(first.cluster());
    assertThat(again.job()).isSameAs(first.job());
    assertThat(again.placement().get().reason()).isEqualTo("this run was placed there before");
    assertThat(a.jobs().size() + b.jobs().size()).isEqualTo(1);
    assertThatThrownBy(() -> fleet.submit(job(1), OnConflict.FAIL))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void listFindsEveryJobOnEveryClusterAndNamesTheOnesThatDidNotAnswer() {
    fleet(PlacementPolicy.spread());
    for (int i = 0; i < 6; i++) {
      fleet.submit(job(i));
    }
    // A restarted scheduler: a new fleet over the same clusters, knowing nothing of the jobs.
    SparkFleet restarted = SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("b", b)).build();
    FleetListing all = restarted.list("spark", "");
    assertThat(all.isComplete()).isTrue();
    assertThat(all.jobs()).extracting(FleetJobHandle::cluster)
        .containsExactly("a", "a", "a", "b", "b", "b");
    b.unreachable(true);
    FleetListing part = restarted.list("spark", "");
    assertThat(part.jobs()).hasSize(3);
    assertThat(part.unanswered()).containsOnlyKeys("b");
    assertThat(part.unanswered().get("b")).contains("Failed to connect");
    assertThat(restarted.attach("a", "spark", all.jobs().get(0).job().name()).job().state()
        .phase()).isEqualTo(JobPhase.SUBMITTED);
    restarted.close();
  }

  @Test
  void closingTheFleetClosesItsClientsAndStopsItsThreads() throws Exception {
    fleet(PlacementPolicy.byCapacity());
    fleet.submit(job(1));
    assertThat(fleetThreads()).isPositive();
    fleet.close();
    assertThat(a.isClosed()).isTrue();
    assertThat(b.isClosed()).isTrue();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> fleetThreads() == 0);
    assertThatThrownBy(() -> fleet.submit(job(2))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static long fleetThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sparkk8s-fleet-")).count();
  }

  @Test
  void theDriverAccountIsEnsuredOnEveryClusterThatAnswersInItsNamespace() {
    fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a).withNamespace("spark", "jobs-a"))
        .cluster(FleetCluster.of("b", b)).capacityRefresh(Duration.ofHours(1)).build();
    fleet.refreshCapacity();
    assertThat(fleet.ensureDriverServiceAccount("spark", "driver")).isEmpty();
    assertThat(a.serviceAccounts()).containsExactly("jobs-a/driver");
    assertThat(b.serviceAccounts()).containsExactly("spark/driver");
    b.unreachable(true);
    assertThat(fleet.ensureDriverServiceAccount("spark", "other")).containsOnlyKeys("b")
        .hasValueSatisfying(new org.assertj.core.api.Condition<>(
            why -> why.contains("Failed to connect"), "names the failure"));
  }

  @Test
  void twoClustersMayNotShareAName() {
    assertThatThrownBy(() -> SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("a", b)).build()).hasMessageContaining("two clusters are named 'a'");
    assertThatThrownBy(() -> SparkFleet.builder().build())
        .hasMessageContaining("at least one cluster");
  }
}
