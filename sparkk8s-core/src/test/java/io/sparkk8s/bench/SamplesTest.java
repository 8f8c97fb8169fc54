package io.sparkk8s.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void percentilesAreNearestRankOfMeasuredValues() {
    Samples s = new Samples("ms");
    IntStream.rangeClosed(1, 100).map(i -> 101 - i).forEach(s::add);
    assertThat(s.median()).isEqualTo(50);
    assertThat(s.p99()).isEqualTo(99);
    assertThat(s.percentile(100)).isEqualTo(100);
    assertThat(s.percentile(1)).isEqualTo(1);
    assertThat(s.mean()).isEqualTo(50.5);
  }

  @Test
  void aSmallSampleHasItsMaximumAsP99() {
    Samples s = new Samples("ms");
    s.add(3);
    s.add(1);
    s.add(2);
    assertThat(s.median()).isEqualTo(2);
    assertThat(s.p99()).isEqualTo(3);
  }

  @Test
  void nanosAreRecordedAsMilliseconds() {
    Samples s = new Samples("ms");
    s.addNanos(1_500_000);
    assertThat(s.median()).isEqualTo(1.5);
  }

  @Test
  void emptyOrInvalidInputIsRejected() {
    Samples s = new Samples("ms");
    assertThatThrownBy(s::median).isInstanceOf(IllegalStateException.class).hasMessage("no samples");
    assertThatThrownBy(() -> s.percentile(0)).hasMessageContaining("(0, 100]");
    assertThatThrownBy(() -> s.add(Double.NaN)).hasMessageContaining("NaN");
  }
}
