package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.fleet.ClusterView;
import io.sparkk8s.fleet.ConfigMapRunLedger;
import io.sparkk8s.fleet.FleetCluster;
import io.sparkk8s.fleet.FleetJobHandle;
import io.sparkk8s.fleet.FleetListing;
import io.sparkk8s.fleet.InMemoryRunLedger;
import io.sparkk8s.fleet.PlacementPolicy;
import io.sparkk8s.fleet.RunLedger;
import io.sparkk8s.fleet.SparkFleet;
import io.sparkk8s.spec.SparkJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet of two real clusters, each with its own API server (the suite's cluster "a" and the
 * second cluster "b" of {@link SecondCluster}): jobs placed by the capacity each API server
 * reports land in proportion to it, a stopped API server sends new submits to the other cluster
 * with the reason on the handle, and a restarted caller finds every job on both. The drivers land
 * on KWOK nodes (no container runs).
 */
@RealCluster
class FleetE2E {
  private static final int JOBS = 200;
  private Path second;
  private CoreV1Api coreA;
  private CoreV1Api coreB;
  private String namespace;
  private final List<SparkFleet> fleets = new ArrayList<>();

  @BeforeEach
  void secondCluster(ClusterConnection a, TestNamespace ns) throws Exception {
    coreA = new CoreV1Api(a.client());
    second = SecondCluster.kubeconfig();
    coreB = new CoreV1Api(SecondCluster.client(second));
    namespace = ns.name();
    SecondCluster.createNamespace(coreB, namespace);
  }

  @AfterEach
  void cleanUp() {
    fleets.forEach(SparkFleet::close);
    // Drivers bound to KWOK nodes whose status the test owns: deleted at once (see FaultKit).
    if (coreA != null) {
      FaultKit.forceDeletePods(coreA, namespace);
    }
    if (coreB != null) {
      FaultKit.forceDeletePods(coreB, namespace);
      SecondCluster.deleteNamespace(coreB, namespace);
    }
  }

  /** Clients that give up on a cluster after 5 s, so a submit to a dead one fails over soon. */
  private SparkFleet fleet(ClusterConnection a, PlacementPolicy policy) {
    return fleet(a, policy, Optional.empty());
  }

  private SparkFleet fleet(ClusterConnection a, PlacementPolicy policy,
      Optional<Duration> lostAfter) {
    return fleet(a, policy, lostAfter, new InMemoryRunLedger());
  }

  private SparkFleet fleet(ClusterConnection a, PlacementPolicy policy,
      Optional<Duration> lostAfter, RunLedger ledger) {
    ApiRetryPolicy quick = ApiRetryPolicy.defaults().withMaxElapsed(Duration.ofSeconds(5));
    SparkKubernetes clientA = SparkKubernetes.builder().kubeconfig(a.kubeconfig(), Optional.empty())
        .apiRetry(quick).connect();
    SparkKubernetes clientB = SparkKubernetes.builder().kubeconfig(second, Optional.empty())
        .apiRetry(quick).connect();
    SparkFleet.Builder builder = SparkFleet.builder()
        .cluster(FleetCluster.of("a", clientA).withLabels(Map.of("site", "local-a")))
        .cluster(FleetCluster.of("b", clientB).withLabels(Map.of("site", "local-b")))
        .policy(policy).capacityRefresh(Duration.ofSeconds(1)).runLedger(ledger);
    lostAfter.ifPresent(builder::resubmitLostJobs);
    SparkFleet fleet = builder.build();
    fleets.add(fleet);
    assertThat(fleet.ensureDriverServiceAccount(namespace, "spark")).as("not done on").isEmpty();
    return fleet;
  }

  private SparkJob job(String name) {
    return FaultKit.kwokJob(new TestNamespace(namespace), name);
  }

  @Test
  void twoHundredJobsLandInProportionToFreeCapacityAndARestartedCallerFindsThemAll(
      ClusterConnection a, TestNamespace ns) {
    SparkFleet fleet = fleet(a, PlacementPolicy.byCapacity());
    fleet.refreshCapacity();
    SparkJob probe = job("probe");
    long cpu = SparkCompiler.compile(probe).driverCpuMillis();
    long memory = SparkCompiler.compile(probe).driverMemoryBytes();
    Map<String, Long> room = fleet.clusters().stream().collect(Collectors.toMap(
        ClusterView::name, v -> v.capacity().driversThatFit(namespace, probe.nodeSelector(),
            probe.tolerations(), cpu, memory, 0, 0)));
    assertThat(room.get("a")).as("room on a: %s", room).isPositive();
    assertThat(room.get("b")).as("room on b: %s", room).isPositive();
    double shareA = (double) room.get("a") / (room.get("a") + room.get("b"));

    List<FleetJobHandle> placed = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      placed.add(fleet.submit(job("job-" + i)));
    }
    Map<String, Long> counts = placed.stream().collect(Collectors.groupingBy(
        FleetJobHandle::cluster, Collectors.counting()));
    double landedA = counts.getOrDefault("a", 0L) / (double) JOBS;
    System.out.printf("[fleet] room for drivers: %s; %d jobs placed: %s (a's share %.3f, its"
        + " share of the room %.3f)%n", room, JOBS, counts, landedA, shareA);
    assertThat(landedA).as("a's share of the jobs, against its share of the room %s", room)
        .isCloseTo(shareA, org.assertj.core.data.Offset.offset(0.05));
    assertThat(placed).allSatisfy(h -> assertThat(h.placement().get().reason())
        .startsWith("by capacity: room for"));

    // The API servers saw the same: b's drivers are b's pods, bound to its KWOK node.
    await("b's drivers bound to its nodes").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1)).until(() -> coreB.listNamespacedPod(namespace)
            .labelSelector("spark-role=driver").execute().getItems().stream()
            .filter(p -> p.getSpec().getNodeName() != null
                && p.getSpec().getNodeName().startsWith("kwok-b-node-")).count()
            == counts.get("b"));
    // ... and b's capacity fell by as many drivers (nothing else runs there).
    fleet.refreshCapacity();
    ClusterCapacity after = fleet.clusters().get(1).capacity();
    assertThat(after.driversThatFit(namespace, probe.nodeSelector(), probe.tolerations(), cpu,
        memory, 0, 0)).isEqualTo(room.get("b") - counts.get("b"));

    // A restarted caller: new clients, a new fleet, nothing remembered.
    SparkFleet restarted = fleet(a, PlacementPolicy.byCapacity());
    FleetListing found = restarted.list(namespace, "");
    assertThat(found.isComplete()).as("unanswered: %s", found.unanswered()).isTrue();
    assertThat(found.jobs().stream().map(FleetJobHandle::id).sorted().toList())
        .isEqualTo(placed.stream().map(FleetJobHandle::id).sorted().toList());
  }

  @Test
  void withOneApiServerStoppedMidRunNewSubmitsGoToTheOtherWithTheReasonAndNoError(
      ClusterConnection a) throws Exception {
    Path restart = LocalCluster.requireRestartable(a);
    SparkFleet fleet = fleet(a, PlacementPolicy.spread());
    fleet.refreshCapacity();
    List<FleetJobHandle> before = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      before.add(fleet.submit(job("before-" + i)));
    }
    assertThat(before).extracting(FleetJobHandle::cluster).contains("a", "b");

    String killed = LocalCluster.restart(restart, "second-kube-apiserver", "--kill");
    try {
      List<FleetJobHandle> during = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        during.add(fleet.submit(job("during-" + i))); // no exception may reach us
        Thread.sleep(100);
      }
      assertThat(during).extracting(FleetJobHandle::cluster).containsOnly("a");
      assertThat(during).allSatisfy(h -> assertThat(h.placement().get().passedOver())
          .anySatisfy(c -> {
            assertThat(c.cluster()).isEqualTo("b");
            assertThat(c.reason()).containsAnyOf("down:", "did not answer");
          }));
      System.out.printf("[fleet] %s; while b was down, e.g. %s%n", killed,
          during.get(during.size() - 1).placement().get());
      FleetListing partial = fleet.list(namespace, "");
      assertThat(partial.unanswered()).containsOnlyKeys("b");
    } finally {
      LocalCluster.restart(restart, "second-kube-apiserver", "--start");
    }
    await("b up again in the fleet's view").atMost(Duration.ofSeconds(30))
        .until(() -> fleet.clusters().get(1).isUp());
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(fleet.submit(job("after-" + i)).cluster());
    }
    assertThat(after).as("spread sends the fewest-loaded cluster its jobs again").contains("b");
  }

  @Test
  void aRunLostWithItsClusterStartsOnTheOtherOnceAndItsOldDriverGoesWhenTheClusterIsBack(
      ClusterConnection a) throws Exception {
    Path restart = LocalCluster.requireRestartable(a);
    SparkFleet fleet = fleet(a, PlacementPolicy.spread(), Optional.of(Duration.ofSeconds(5)));
    fleet.refreshCapacity();
    List<FleetJobHandle> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(fleet.submit(job("run-" + i)));
    }
    List<FleetJobHandle> onB = runs.stream().filter(r -> r.cluster().equals("b")).toList();
    assertThat(onB).hasSize(3);

    LocalCluster.restart(restart, "second-kube-apiserver", "--kill");
    try {
      await("b's runs moved to a").atMost(Duration.ofSeconds(90))
          .until(() -> onB.stream().allMatch(r -> r.cluster().equals("a")));
      long lost = System.nanoTime();
      // Exactly once: one driver of each moved run on a, still after several more passes.
      java.time.Instant moved = java.time.Instant.now();
      await("five more capacity reads of a").atMost(Duration.ofSeconds(30))
          .until(() -> fleet.clusters().get(0).capacity().readAt().isAfter(moved.plusSeconds(5)));
      for (FleetJobHandle r : onB) {
        assertThat(coreA.listNamespacedPod(namespace).labelSelector("spark-role=driver,"
            + "spark-app-selector=" + r.runId()).execute().getItems()).hasSize(1);
        assertThat(r.moves()).singleElement()
            .satisfies(d -> assertThat(d.reason()).startsWith("moved: b lost"));
      }
      System.out.printf("[fleet] b's runs moved to a: %s (checked %d ms after)%n",
          onB.get(0).placement().get(), (System.nanoTime() - lost) / 1_000_000);
    } finally {
      LocalCluster.restart(restart, "second-kube-apiserver", "--start");
    }
    // b is back: its drivers of the moved runs are deleted; the run lives on a only.
    await("the drivers left on b deleted").atMost(Duration.ofSeconds(90))
        .until(() -> onB.stream().allMatch(r -> {
          try {
            return coreB.listNamespacedPod(namespace).labelSelector("spark-role=driver,"
                + "spark-app-selector=" + r.runId()).execute().getItems().stream()
                .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null);
          } catch (io.kubernetes.client.openapi.ApiException e) {
            return false;
          }
        }));
    assertThat(fleet.clusters()).extracting(ClusterView::inFlight).containsExactly(6, 0);
  }

  @Test
  void twoSchedulersSharingAConfigMapLedgerMoveALostRunOnceAndATamperedRecordIsNotObeyed(
      ClusterConnection a) throws Exception {
    Path restart = LocalCluster.requireRestartable(a);
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    RunLedger ledger = new ConfigMapRunLedger(a.client(), namespace, io.sparkk8s.RecordKey.of(secret));
    SparkFleet one = fleet(a, PlacementPolicy.spread(), Optional.of(Duration.ofSeconds(5)), ledger);
    SparkFleet two = fleet(a, PlacementPolicy.spread(), Optional.of(Duration.ofSeconds(5)), ledger);
    one.refreshCapacity();
    FleetJobHandle stays = one.submit(job("ledger-0"));
    FleetJobHandle mine = one.submit(job("ledger-1"));
    FleetJobHandle theirs = two.submit(job("ledger-1")); // the same run: the ledger says b
    assertThat(List.of(stays.cluster(), mine.cluster(), theirs.cluster()))
        .containsExactly("a", "b", "b");
    assertThat(coreA.listNamespacedConfigMap(namespace).labelSelector("sparkk8s.io/record=run")
        .execute().getItems()).hasSize(2);

    LocalCluster.restart(restart, "second-kube-apiserver", "--kill");
    try {
      await("both schedulers follow the run to a").atMost(Duration.ofSeconds(90))
          .until(() -> mine.cluster().equals("a") && theirs.cluster().equals("a"));
      java.time.Instant moved = java.time.Instant.now();
      await("five more capacity reads").atMost(Duration.ofSeconds(30))
          .until(() -> one.clusters().get(0).capacity().readAt().isAfter(moved.plusSeconds(5)));
      assertThat(coreA.listNamespacedPod(namespace).labelSelector("spark-role=driver,"
          + "spark-app-selector=" + mine.runId()).execute().getItems()).hasSize(1);
      assertThat(ledger.owner(mine.runId()).get().cluster()).isEqualTo("a");
    } finally {
      LocalCluster.restart(restart, "second-kube-apiserver", "--start");
    }

    // A record changed by someone without the key is refused, naming it, and guides nothing.
    io.kubernetes.client.openapi.models.V1ConfigMap record = coreA.listNamespacedConfigMap(namespace)
        .labelSelector("sparkk8s.io/record=run").execute().getItems().stream()
        .filter(c -> stays.runId().equals(c.getData().get("runId"))).findFirst().orElseThrow();
    record.getData().put("cluster", "b");
    coreA.replaceNamespacedConfigMap(record.getMetadata().getName(), namespace, record).execute();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.owner(stays.runId()))
        .hasMessageContaining(record.getMetadata().getName())
        .hasMessageContaining("is not sealed by this fleet's record key");
    assertThat(one.submit(job("ledger-0")).cluster()).isEqualTo("a");

    // The moved run ends on a: its record goes.
    FaultKit.setDriver(coreA, namespace, mine.job().name(), 0);
    await("the ended run's record deleted").atMost(Duration.ofSeconds(60)).until(() ->
        coreA.listNamespacedConfigMap(namespace).labelSelector("sparkk8s.io/record=run").execute()
            .getItems().stream().noneMatch(c -> mine.runId().equals(c.getData().get("runId"))));
  }
}
