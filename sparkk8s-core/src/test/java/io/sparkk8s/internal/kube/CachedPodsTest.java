package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The watch's cache keeps slim pods: every reading the SDK makes of a pod must give the same
 * answer on the slim copy as on the full pod, and the copy must be much smaller.
 */
class CachedPodsTest {
  private static final String STATUS_RUNNING = "{\"phase\":\"Running\",\"hostIP\":\"10.0.0.5\","
      + "\"podIP\":\"10.244.0.17\",\"podIPs\":[{\"ip\":\"10.244.0.17\"}],\"qosClass\":\"Burstable\","
      + "\"startTime\":\"2026-11-23T10:00:01Z\",\"conditions\":["
      + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-23T10:00:01Z\"},"
      + "{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-23T10:00:02Z\"},"
      + "{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-23T10:00:05Z\"}],"
      + "\"containerStatuses\":[{\"name\":\"spark-kubernetes-driver\",\"ready\":true,"
      + "\"restartCount\":0,\"started\":true,\"image\":\"docker.io/apache/spark:4.1.1\","
      + "\"imageID\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
      + "\"containerID\":\"containerd://abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567\","
      + "\"state\":{\"running\":{\"startedAt\":\"2026-11-23T10:00:04Z\"}}}]}";
  private static final String STATUS_FAILED = STATUS_RUNNING.replace("\"Running\"", "\"Failed\"")
      .replace("{\"running\":{\"startedAt\":\"2026-11-23T10:00:04Z\"}}",
          "{\"terminated\":{\"exitCode\":3,\"reason\":\"Error\",\"message\":\"boom at line 3\","
              + "\"startedAt\":\"2026-11-23T10:00:04Z\",\"finishedAt\":\"2026-11-23T10:02:04Z\","
              + "\"containerID\":\"containerd://abc\"}}");
  private static final String STATUS_SUCCEEDED = STATUS_FAILED.replace("\"Failed\"",
      "\"Succeeded\"").replace("\"exitCode\":3,\"reason\":\"Error\",\"message\":\"boom at line 3\"",
      "\"exitCode\":0,\"reason\":\"Completed\"");

  /** A driver pod as the API server returns it: compiled spec, managed fields, a status. */
  static V1Pod fullDriver(String statusJson, Optional<Retention> retention, String nodeName) {
    SparkJob.Builder b = SparkJob.builder().name("pi").namespace("jobs")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .putLabel("team", "data")
        .putSparkConf("spark.kubernetes.driverEnv.SOME", "value")
        .historyServerUrl("http://history.jobs.svc:18080");
    retention.ifPresent(b::retention);
    SparkJob job = b.build();
    V1Pod pod = Retentions.annotate(SparkCompiler.compile(job).driverPod(), job);
    pod.getMetadata().uid("8f14e45f-ceea-467e-9b1a-5c0a3d2f2b11").resourceVersion("48213")
        .creationTimestamp(OffsetDateTime.parse("2026-11-23T10:00:00Z"));
    List<V1ManagedFieldsEntry> managed = new ArrayList<>();
    for (String manager : List.of("sparkk8s", "kubelet", "kube-scheduler")) {
      managed.add(new V1ManagedFieldsEntry().manager(manager).operation("Update").apiVersion("v1")
          .fieldsType("FieldsV1").time(OffsetDateTime.parse("2026-11-23T10:00:05Z"))
          .fieldsV1(Map.of("f:metadata", Map.of("f:labels", Map.of("f:spark-role", Map.of(),
              "f:spark-app-selector", Map.of(), "f:team", Map.of())), "f:spec",
              Map.of("f:containers", Map.of("k:{\"name\":\"spark-kubernetes-driver\"}",
                  Map.of("f:env", Map.of(), "f:image", Map.of(), "f:resources", Map.of()))))));
    }
    pod.getMetadata().managedFields(managed);
    pod.getSpec().nodeName(nodeName);
    pod.status(JSON.deserialize(statusJson, io.kubernetes.client.openapi.models.V1PodStatus.class));
    return pod;
  }

  static List<V1Pod> pods() {
    List<V1Pod> pods = new ArrayList<>();
    for (String status : List.of(STATUS_RUNNING, STATUS_FAILED, STATUS_SUCCEEDED)) {
      pods.add(fullDriver(status, Optional.empty(), "node-1"));
      pods.add(fullDriver(status, Optional.of(Retention.deleteAfter(Duration.ofMinutes(5))),
          "node-1"));
      pods.add(fullDriver(status, Optional.of(Retention.deleteOnSuccess()), null));
    }
    // The shapes the state machine is tested with: pending reasons, image pulls, kills, OOM,
    // eviction, lost nodes.
    pods.addAll(List.of(DriverStatesTest.UNSCHEDULABLE, DriverStatesTest.CREATING,
        DriverStatesTest.IMAGE_PULL, DriverStatesTest.ERR_IMAGE_PULL, DriverStatesTest.RUNNING,
        DriverStatesTest.SUCCEEDED, DriverStatesTest.EXIT_3, DriverStatesTest.OOM,
        DriverStatesTest.EVICTED, DriverStatesTest.NODE_LOST));
    V1Pod deleting = fullDriver(STATUS_RUNNING, Optional.empty(), "node-1");
    deleting.getMetadata().deletionTimestamp(OffsetDateTime.parse("2026-11-23T10:03:00Z"));
    pods.add(deleting);
    V1Pod attempt = fullDriver(STATUS_FAILED, Optional.of(Retention.deleteAfter(Duration.ofHours(1))),
        "node-1");
    attempt.getMetadata().putLabelsItem(Attempts.JOB_LABEL, "job-1")
        .putLabelsItem(Attempts.ATTEMPT_LABEL, "2");
    pods.add(attempt);
    return pods;
  }

  @Test
  void everyReadingOfAPodIsTheSameOnTheSlimCopy() {
    for (V1Pod full : pods()) {
      V1Pod slim = CachedPods.slim(full);
      String which = full.getMetadata().getName() + " " + full.getStatus();
      assertThat(DriverStates.fromPod(slim)).as(which).isEqualTo(DriverStates.fromPod(full));
      assertThat(DriverStates.liveExecutor(slim)).as(which)
          .isEqualTo(DriverStates.liveExecutor(full));
      assertThat(Timings.of(slim, null)).as(which).isEqualTo(Timings.of(full, null));
      assertThat(Timings.creation(slim)).isEqualTo(Timings.creation(full));
      assertThat(Retentions.of(slim)).as(which).isEqualTo(Retentions.of(full));
      assertThat(Retentions.deleteAt(slim)).as(which).isEqualTo(Retentions.deleteAt(full));
      assertThat(PodFacts.finishedAt(slim)).isEqualTo(PodFacts.finishedAt(full));
      assertThat(PodFacts.createdAt(slim)).isEqualTo(PodFacts.createdAt(full));
      assertThat(Attempts.jobIdOf(slim)).isEqualTo(Attempts.jobIdOf(full));
      assertThat(Attempts.attemptOf(slim)).isEqualTo(Attempts.attemptOf(full));
      assertThat(PodFacts.appIdOf(slim)).isEqualTo(PodFacts.appIdOf(full));
      assertThat(slim.getMetadata().getName()).isEqualTo(full.getMetadata().getName());
      assertThat(slim.getMetadata().getNamespace()).isEqualTo(full.getMetadata().getNamespace());
      assertThat(slim.getMetadata().getUid()).isEqualTo(full.getMetadata().getUid());
      assertThat(slim.getMetadata().getResourceVersion())
          .isEqualTo(full.getMetadata().getResourceVersion());
      assertThat(slim.getSpec() == null ? null : slim.getSpec().getNodeName())
          .isEqualTo(full.getSpec() == null ? null : full.getSpec().getNodeName());
    }
  }

  @Test
  void theSlimCopyOfADriverIsAFractionOfIt() {
    V1Pod full = fullDriver(STATUS_FAILED, Optional.of(Retention.deleteOnSuccess()), "node-1");
    int fullBytes = JSON.serialize(full).length();
    int slimBytes = JSON.serialize(CachedPods.slim(full)).length();
    assertThat(slimBytes).as("slim %d bytes vs full %d", slimBytes, fullBytes)
        .isLessThan(fullBytes / 4);
    String slimJson = JSON.serialize(CachedPods.slim(full));
    assertThat(slimJson).doesNotContain("managedFields", "\"containers\"", "imageID", "podIP",
        "SPARK_");
  }
}
