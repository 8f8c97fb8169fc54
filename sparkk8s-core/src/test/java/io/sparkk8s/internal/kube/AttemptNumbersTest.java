package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AttemptNumbersTest {
  static V1Pod driver(String name, String attempt, String appId) {
    V1ObjectMeta m = new V1ObjectMeta().name(name).putLabelsItem("spark-role", "driver")
        .putLabelsItem(Attempts.JOB_LABEL, "spark-j").putLabelsItem("spark-app-selector", appId);
    if (attempt != null) {
      m.putLabelsItem(Attempts.ATTEMPT_LABEL, attempt);
    }
    return new V1Pod().metadata(m);
  }

  @Test
  void onlyPlainNumbersFromOneToTheMaximumAreAttempts() {
    for (String bad : new String[] {"0", "-1", "999999", "4", "abc", "", " 1", "1 ", "01", "+1",
        "1e3", "0x1", "2147483648", "١"}) {
      assertThat(AttemptNumbers.parse(bad, 3)).as("'%s'", bad).isEmpty();
    }
    assertThat(AttemptNumbers.parse(null, 3)).isEmpty();
    assertThat(AttemptNumbers.parse("1", 3)).isEqualTo(OptionalInt.of(1));
    assertThat(AttemptNumbers.parse("3", 3)).isEqualTo(OptionalInt.of(3));
  }

  @Test
  void aPodIsAnAttemptOnlyWithThatAttemptsApplicationIdAndName() {
    assertThat(AttemptNumbers.of(driver("d2", "2", "spark-j-2"), "spark-j", 3, n -> Optional.empty())
        .number()).isEqualTo(2);
    assertThat(AttemptNumbers.of(driver("d1", "1", "spark-j"), "spark-j", 3, n -> Optional.empty())
        .number()).isEqualTo(1);
    AttemptNumbers.Result wrongApp = AttemptNumbers.of(driver("d2", "2", "spark-j"), "spark-j", 3,
        n -> Optional.empty());
    assertThat(wrongApp.valid()).isFalse();
    assertThat(wrongApp.why()).contains("not attempt 2's (spark-j-2)");
    AttemptNumbers.Result wrongName = AttemptNumbers.of(driver("bait", "2", "spark-j-2"),
        "spark-j", 3, n -> Optional.of("real-" + n + "-driver"));
    assertThat(wrongName.valid()).isFalse();
    assertThat(wrongName.why()).contains("real-2-driver");
    assertThat(AttemptNumbers.of(driver("d", null, "spark-j"), "spark-j", 3, n -> Optional.empty())
        .why()).contains("=null is not an attempt number in 1..3");
  }

  @Test
  void forgedLabelsAreLeftOutOfTheSequence() {
    List<V1Pod> pods = List.of(driver("a", "0", "spark-j"), driver("b", "-1", "spark-j"),
        driver("c", "999999", "spark-j-999999"), driver("d", "x", "spark-j"),
        driver("e", "1", "spark-j"), driver("f", "1", "spark-j"));
    Map<String, String> ignored = new TreeMap<>();
    var byNumber = AttemptNumbers.byNumber(pods, "spark-j", 3, n -> Optional.empty(),
        (p, why) -> ignored.put(p.getMetadata().getName(), why));
    assertThat(byNumber).containsOnlyKeys(1);
    assertThat(byNumber.get(1).getMetadata().getName()).as("the first of two claims").isEqualTo("e");
    assertThat(ignored).containsOnlyKeys("a", "b", "c", "d", "f");
    assertThat(ignored.get("f")).isEqualTo("attempt 1 is e already");
    assertThat(AttemptNumbers.byNumber(pods.subList(0, 4), "spark-j", 3, n -> Optional.empty(),
        (p, why) -> { })).isEmpty();
  }

  @Test
  void theLastEndedAttemptIsLookedForWithinTheMaximumOnly() {
    assertThat(AttemptNumbers.lastEnded(3, Set.of(1, 2)::contains)).isEqualTo(2);
    assertThat(AttemptNumbers.lastEnded(3, Set.of(999999)::contains)).isZero();
    assertThat(AttemptNumbers.lastEnded(3, n -> false)).isZero();
  }
}
