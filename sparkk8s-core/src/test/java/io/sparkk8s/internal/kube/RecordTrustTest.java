package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.RecordKey;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.SparkJob;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordTrustTest {
  static final SparkJob JOB = AttemptsTest.JOB;
  static final String JOB_ID = SparkCompiler.compile(JOB).appId();
  static final RecordKey KEY = RecordKey.fromBase64("c3BhcmtrOHMtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyEh");

  static V1ConfigMap record() {
    V1ConfigMap r = Attempts.record(JOB, JOB_ID, "flaky-x", JOB.retryPolicy().orElseThrow());
    r.getMetadata().setUid("uid-1");
    return r;
  }

  @Test
  void aClientTrustsTheRecordsItWroteAndReplaysTheirAttempts() {
    RecordTrust self = new RecordTrust(Optional.empty());
    V1ConfigMap r = self.seal(record());
    assertThat(self.distrust(r, "jobs", JOB_ID)).isEmpty();
    RecordTrust.Replay replay = self.replay(r, "jobs", JOB_ID).orElseThrow();
    assertThat(replay.policy()).isEqualTo(JOB.retryPolicy().orElseThrow());
    assertThat(replay.objects().apply(2)).hasValueSatisfying(o ->
        assertThat(o.driverName()).isEqualTo(Attempts.compile(JOB, JOB_ID, 2).driverName()));
    assertThat(replay.objects().apply(0)).isEmpty();
    assertThat(replay.objects().apply(4)).isEmpty();
  }

  @Test
  void anotherClientFollowsItReadOnlyUnlessBothHoldTheSameKey() {
    V1ConfigMap unkeyed = new RecordTrust(Optional.empty()).seal(record());
    assertThat(new RecordTrust(Optional.empty()).distrust(unkeyed, "jobs", JOB_ID))
        .hasValueSatisfying(why -> assertThat(why).contains("did not write it"));
    assertThat(new RecordTrust(Optional.empty()).replay(unkeyed, "jobs", JOB_ID)).isEmpty();

    V1ConfigMap keyed = new RecordTrust(Optional.of(KEY)).seal(record());
    assertThat(new RecordTrust(Optional.of(KEY)).replay(keyed, "jobs", JOB_ID)).isPresent();
    RecordKey other = RecordKey.of(new byte[40]);
    assertThat(new RecordTrust(Optional.of(other)).distrust(keyed, "jobs", JOB_ID))
        .hasValueSatisfying(why -> assertThat(why).contains(other.id()));
  }

  @Test
  void aPlantedOrChangedRecordIsNeverReplayed() {
    RecordTrust trust = new RecordTrust(Optional.of(KEY));
    assertThat(trust.distrust(record(), "jobs", JOB_ID))
        .hasValueSatisfying(why -> assertThat(why).contains("no integrity tag"));

    V1ConfigMap moved = trust.seal(record());
    JsonArray objects = JsonParser.parseString(moved.getData().get("attempt-2.json"))
        .getAsJsonArray();
    objects.get(0).getAsJsonObject().getAsJsonObject("metadata")
        .addProperty("namespace", "kube-system");
    moved.getData().put("attempt-2.json", objects.toString());
    assertThat(trust.replay(moved, "jobs", JOB_ID)).isEmpty();

    V1ConfigMap copied = trust.seal(record());
    copied.getMetadata().setNamespace("elsewhere");
    assertThat(trust.distrust(copied, "elsewhere", JOB_ID))
        .as("a sealed record copied to another namespace").isPresent();
    assertThat(trust.distrust(trust.seal(record()), "jobs", "spark-another-job")).isPresent();
  }

  @Test
  void aSealedAttemptThatBreaksConfinementIsNotReplayed() {
    // A key holder's own mistake or a leaked key: the seal is valid, the attempt still refused.
    V1ConfigMap r = record();
    JsonArray objects = JsonParser.parseString(r.getData().get("attempt-2.json")).getAsJsonArray();
    JsonObject pod = objects.get(0).getAsJsonObject();
    pod.getAsJsonObject("metadata").addProperty("namespace", "kube-system");
    r.getData().put("attempt-2.json", objects.toString());
    RecordTrust trust = new RecordTrust(Optional.of(KEY));
    RecordTrust.Replay replay = trust.replay(trust.seal(r), "jobs", JOB_ID).orElseThrow();
    assertThat(replay.objects().apply(1)).isPresent();
    assertThat(replay.objects().apply(2)).isEmpty();
  }

  @Test
  void anEndCountsOnlyWithItsOwnTag() {
    RecordTrust trust = new RecordTrust(Optional.of(KEY));
    V1ConfigMap r = trust.seal(record());
    Map<String, String> entry = Attempts.endEntry(1, JobState.ended(JobPhase.FAILED, 1, "Error",
        ""), Instant.parse("2026-12-03T08:00:00Z"));
    Map<String, String> data = new HashMap<>(r.getData());
    data.putAll(entry);
    r.setData(data);
    assertThat(trust.end(r, 1)).as("without its tag").isEmpty();
    trust.sealEnd(r, 1, entry.get("ended-1")).forEach(r.getMetadata()::putAnnotationsItem);
    assertThat(trust.end(r, 1)).hasValueSatisfying(e ->
        assertThat(e.state().exitCode()).contains(1));
    assertThat(trust.distrust(r, "jobs", JOB_ID)).as("ends leave the record's tag valid").isEmpty();
    r.getMetadata().setUid("uid-2");
    assertThat(trust.end(r, 1)).as("an end replayed into another record").isEmpty();
    assertThat(trust.end(null, 1)).isEmpty();
  }
}
