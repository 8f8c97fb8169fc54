package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
  private static final long S = 1_000_000_000L;
  private static final long SETTLE = NodeHealth.SETTLE.toNanos();

  static V1Node node(String name, String ready) {
    return new V1Node().metadata(new V1ObjectMeta().name(name)).status(new V1NodeStatus()
        .conditions(List.of(new V1NodeCondition().type("Ready").status(ready)
            .reason("NodeStatusUnknown").message("Kubelet stopped posting node status."))));
  }

  @Test
  void aNodeThatGoesUnknownWhileTheApiServerAnswersIsLostAtOnce() {
    NodeHealth h = new NodeHealth();
    NodeHealth.Update u = h.update(node("n1", "Unknown"), 100 * S);
    assertThat(u.changed()).isTrue();
    assertThat(u.recheckIn()).isEmpty();
    assertThat(h.lost("n1", 100 * S)).hasValueSatisfying(why -> assertThat(why)
        .contains("node n1 stopped reporting (Ready=Unknown, NodeStatusUnknown)"));
    assertThat(h.update(node("n1", "True"), 110 * S).changed()).isTrue();
    assertThat(h.lost("n1", 110 * S)).isEmpty();
  }

  @Test
  void aNodeMarkedUnknownRightAfterThisClientsOwnOutageIsHeldAndNeverReportedIfItComesBack() {
    NodeHealth h = new NodeHealth();
    h.failed(new ApiException(new ConnectException("Connection refused")), 100 * S);
    // The API server is back; the node controller marks every node Unknown at once.
    NodeHealth.Update u = h.update(node("n1", "Unknown"), 102 * S);
    assertThat(u.changed()).as("nothing to tell: the node is held").isFalse();
    assertThat(u.recheckIn()).contains(Duration.ofNanos(100 * S + SETTLE - 102 * S));
    assertThat(h.lost("n1", 102 * S)).isEmpty();
    assertThat(h.held("n1", 102 * S)).isTrue();
    // The kubelet reports again: the node was never lost.
    assertThat(h.update(node("n1", "True"), 115 * S).changed()).isFalse();
    assertThat(h.lost("n1", 200 * S)).isEmpty();
  }

  @Test
  void aHeldNodeStillUnknownAfterTheSettleTimeIsLost() {
    NodeHealth h = new NodeHealth();
    h.failed(new IOException("stream reset"), 100 * S);
    h.update(node("n1", "Unknown"), 101 * S);
    long end = 100 * S + SETTLE;
    assertThat(h.lost("n1", end - 1)).isEmpty();
    assertThat(h.lost("n1", end)).isPresent();
    // A later update of the same Unknown node keeps its hold's end, it does not start a new one.
    h.failed(new IOException("stream reset"), end + S);
    NodeHealth.Update again = h.update(node("n1", "Unknown"), end + 2 * S);
    assertThat(again.recheckIn()).isEmpty();
    assertThat(h.lost("n1", end + 2 * S)).isPresent();
  }

  @Test
  void anOutageLongAgoHoldsNothing() {
    NodeHealth h = new NodeHealth();
    h.failed(new ApiException(503, "unavailable"), 100 * S);
    h.update(node("n1", "Unknown"), 100 * S + SETTLE + S);
    assertThat(h.lost("n1", 100 * S + SETTLE + S)).isPresent();
  }

  @Test
  void refusalsAndExpiredWatchesAreNotOutages() {
    NodeHealth h = new NodeHealth();
    h.failed(new ApiException(403, "forbidden"), 100 * S);
    h.failed(new ApiException(410, "Gone"), 100 * S);
    h.failed(new IllegalStateException("bookmark without spec"), 100 * S);
    h.update(node("n1", "Unknown"), 101 * S);
    assertThat(h.lost("n1", 101 * S)).as("lost at once: nothing said the API server was away")
        .isPresent();
    assertThat(NodeHealth.isOutage(new ApiException(429, "throttled"))).isTrue();
    assertThat(NodeHealth.isOutage(new RuntimeException(new ConnectException("refused"))))
        .isTrue();
    assertThat(NodeHealth.isOutage(new ApiException(0, "no answer"))).isTrue();
  }

  @Test
  void aDeletedNodeIsLostWhateverTheControlPlaneDid() {
    NodeHealth h = new NodeHealth();
    h.failed(new ConnectException("refused"), 100 * S);
    assertThat(h.deleted("n1", 101 * S)).isTrue();
    assertThat(h.lost("n1", 101 * S)).contains("the node was deleted");
    assertThat(h.deleted("n1", 102 * S)).as("told once").isFalse();
  }

  @Test
  void deletedNodesAreForgottenAfterAnHourSoNodeChurnDoesNotGrowTheMap() {
    NodeHealth h = new NodeHealth();
    long hour = NodeHealth.DELETED_KEPT.toNanos();
    // An autoscaler removes a node a minute for three hours.
    for (int i = 0; i < 180; i++) {
      h.deleted("node-" + i, i * 60 * S);
    }
    assertThat(h.remembered()).as("only the last hour's deletions")
        .isBetween(60, 61);
    assertThat(h.lost("node-179", 179 * 60 * S)).contains("the node was deleted");
    assertThat(h.lost("node-0", 179 * 60 * S)).isEmpty();
    // An Unknown node that still exists is not forgotten, however old.
    h.update(node("old", "Unknown"), S);
    h.deleted("later", S + 2 * hour);
    assertThat(h.lost("old", S + 2 * hour)).isPresent();
  }

  @Test
  void readyFalseIsNotLost() {
    NodeHealth h = new NodeHealth();
    assertThat(h.update(node("n1", "False"), S).changed()).isFalse();
    assertThat(h.lost("n1", S)).isEmpty();
    assertThat(h.lost(null, S)).isEmpty();
  }
}
