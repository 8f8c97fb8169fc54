package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.RecordKey;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class RecordSealTest {
  static final SecretKey KEY = RecordKey.of(new byte[32]).secretKey();
  static final SecretKey OTHER = RecordKey.of("another key, 32 bytes or longer!".getBytes())
      .secretKey();
  static final Map<String, String> DATA = Map.of("policy", "maxAttempts=3",
      "attempt-1.json", "[{\"kind\":\"Pod\"}]");

  @Test
  void aTagVerifiesUnderItsKeyOnlyAndForItsContentOnly() {
    String tag = RecordSeal.tag(KEY, "jobs", "r-attempts", "spark-1", DATA);
    assertThat(tag).startsWith("v1:");
    assertThat(RecordSeal.verify(KEY, "jobs", "r-attempts", "spark-1", DATA, tag)).isTrue();
    assertThat(RecordSeal.verify(OTHER, "jobs", "r-attempts", "spark-1", DATA, tag)).isFalse();
    assertThat(RecordSeal.verify(KEY, "other", "r-attempts", "spark-1", DATA, tag))
        .as("moved to another namespace").isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "x-attempts", "spark-1", DATA, tag)).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "r-attempts", "spark-2", DATA, tag)).isFalse();
    Map<String, String> changed = new HashMap<>(DATA);
    changed.put("attempt-1.json", "[{\"kind\":\"Pod\",\"metadata\":{\"namespace\":\"kube-system\"}}]");
    assertThat(RecordSeal.verify(KEY, "jobs", "r-attempts", "spark-1", changed, tag)).isFalse();
    Map<String, String> added = new HashMap<>(DATA);
    added.put("attempt-2.json", "[]");
    assertThat(RecordSeal.verify(KEY, "jobs", "r-attempts", "spark-1", added, tag))
        .as("an attempt added").isFalse();
  }

  @Test
  void forgedMissingOrMalformedTagsNeverVerify() {
    String tag = RecordSeal.tag(KEY, "jobs", "r", "j", DATA);
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, null)).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, "")).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, "v1:" + "A".repeat(43))).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, tag.toUpperCase())).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, tag + "é")).isFalse();
    String forged = RecordSeal.tag(OTHER, "jobs", "r", "j", DATA);
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", DATA, forged)).isFalse();
  }

  @Test
  void textCannotBeShiftedBetweenAKeyAndItsValue() {
    String tag = RecordSeal.tag(KEY, "jobs", "r", "j", Map.of("policy", "ab"));
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", Map.of("policya", "b"), tag)).isFalse();
    assertThat(RecordSeal.verify(KEY, "jobsr", "", "j", Map.of("policy", "ab"), tag)).isFalse();
  }

  @Test
  void endsAreLeftOutOfTheRecordsTagAndCarryTheirOwnBoundToTheRecordAndAttempt() {
    String tag = RecordSeal.tag(KEY, "jobs", "r", "j", DATA);
    Map<String, String> withEnd = new HashMap<>(DATA);
    withEnd.put("ended-1", "phase=FAILED");
    assertThat(RecordSeal.verify(KEY, "jobs", "r", "j", withEnd, tag)).isTrue();
    assertThat(RecordSeal.isEnd("ended-12")).isTrue();
    assertThat(RecordSeal.isEnd("ended-1x")).isFalse();
    assertThat(RecordSeal.isEnd("ended-")).isFalse();

    String end = RecordSeal.endTag(KEY, "uid-1", 1, "phase=FAILED");
    assertThat(RecordSeal.verifyEnd(KEY, "uid-1", 1, "phase=FAILED", end)).isTrue();
    assertThat(RecordSeal.verifyEnd(KEY, "uid-2", 1, "phase=FAILED", end))
        .as("replayed into another record").isFalse();
    assertThat(RecordSeal.verifyEnd(KEY, "uid-1", 2, "phase=FAILED", end))
        .as("moved to another attempt").isFalse();
    assertThat(RecordSeal.verifyEnd(KEY, "uid-1", 1, "phase=SUCCEEDED", end)).isFalse();
    assertThat(RecordSeal.verifyEnd(OTHER, "uid-1", 1, "phase=FAILED", end)).isFalse();
    assertThat(RecordSeal.verifyEnd(KEY, null, 1, "phase=FAILED", end)).isFalse();
  }
}
