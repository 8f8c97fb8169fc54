package io.sparkk8s.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Quantities#parse} against client-java's {@link Quantity#fromString}, the reader it stands in for. */
class QuantitiesTest {

  /** Quantity-like text: a number of digits and points, then suffix characters, signs and exponents. */
  @Provide
  Arbitrary<String> quantityLike() {
    Arbitrary<String> number = Arbitraries.strings().withChars("0123456789.").ofMinLength(0).ofMaxLength(6);
    Arbitrary<String> suffix = Arbitraries.oneOf(
        Arbitraries.of("", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"),
        Arbitraries.strings().withChars("eEinumkKMGTP+-0123456789. x").ofMaxLength(4));
    Arbitrary<String> sign = Arbitraries.of("", "", "", "+", "-", " ");
    return Combinators.combine(sign, number, suffix).as((s, n, u) -> s + n + u);
  }

  @Property(tries = 5000)
  void readsEveryTextAsClientJavaDoes(@ForAll("quantityLike") String value) {
    Quantity expected;
    try {
      expected = Quantity.fromString(value);
    } catch (RuntimeException e) {
      Statistics.collect("not a quantity");
      assertThatThrownBy(() -> Quantities.parse(value)).as(value).isInstanceOf(RuntimeException.class);
      return;
    }
    Statistics.collect("a quantity");
    Quantity actual = Quantities.parse(value);
    // equals() on the number holds the scale too: 0.500 is not 0.5. Equal number and format are
    // equal text too (toSuffixedString reads nothing else).
    assertThat(actual.getNumber()).as(value).isEqualTo(expected.getNumber());
    assertThat(actual.getFormat()).as(value).isEqualTo(expected.getFormat());
  }

  @ParameterizedTest
  @ValueSource(strings = {"500m", "1", "1.5", "2Gi", "512Mi", "100m", "0.25", "1.", ".5", "3E", "7Ki", "1e3", "+1",
      "12n", "4u", "1.5Ti"})
  void theCommonFormsMatchToo(String value) {
    assertThat(Quantities.parse(value)).isEqualTo(Quantity.fromString(value));
    assertThat(Quantities.parse(value).getNumber().scale())
        .isEqualTo(Quantity.fromString(value).getNumber().scale());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "Gi", "1x", "1.2.3", "--1", "1mi"})
  void refusesWhatClientJavaRefuses(String value) {
    assertThatThrownBy(() -> Quantity.fromString(value)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> Quantities.parse(value)).isInstanceOf(RuntimeException.class);
  }

  @org.junit.jupiter.api.Test
  void aCpuQuantityIsItsNumber() {
    assertThat(Quantities.parse("500m").getNumber()).isEqualByComparingTo(new BigDecimal("0.5"));
    assertThat(Quantities.parse("2Gi").getNumber()).isEqualByComparingTo(BigDecimal.valueOf(2L << 30));
  }
}
