package io.sparkk8s.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Checks#sparkMemoryMib} reads memory by hand; this holds it to the reading by regular
 * expression it replaced (Spark's {@code byteStringAsMb} form: trimmed, lowercased, digits and an
 * optional unit), on generated text with spaces, signs, cases, the Kelvin sign and huge numbers.
 */
class SparkMemoryTest {

  private static final Pattern FORM = Pattern.compile("([0-9]+)([kKmMgGtTpP][bB]?|[bB])?");

  /** The earlier reading, kept here as the oracle. */
  private static long byPattern(String value) {
    Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = m.group(2) == null ? "m" : m.group(2).substring(0, 1);
    long mib;
    try {
      mib = switch (unit) {
        case "b" -> n / (1024 * 1024);
        case "k" -> n / 1024;
        case "m" -> n;
        case "g" -> Math.multiplyExact(n, 1024L);
        case "t" -> Math.multiplyExact(n, 1024L * 1024);
        case "p" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
        default -> -1;
      };
    } catch (ArithmeticException e) {
      return -1;
    }
    return mib > Checks.MAX_MEMORY_MIB ? -1 : mib;
  }

  @Provide
  Arbitrary<String> memoryLike() {
    Arbitrary<String> pad = Arbitraries.of("", "", " ", "\t", "\n ");
    Arbitrary<String> digits = Arbitraries.oneOf(
        Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(4),
        Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(21),
        Arbitraries.of("9223372036854775807", "9223372036854775808", "9223372036854775799",
            "922337203685477580", "1099511627776", "1099511627777", "0"));
    Arbitrary<String> unit = Arbitraries.oneOf(
        Arbitraries.of("", "b", "B", "k", "K", "kb", "KB", "Kb", "m", "mb", "g", "Gb", "t", "TB", "p", "pB",
            "\u212a", "\u212ab", "bb", "kbb", "x", "\u0130", "-"),
        Arbitraries.strings().withChars("bkmgtpBKMGTP\u212a.-+ x").ofMaxLength(3));
    Arbitrary<String> sign = Arbitraries.of("", "", "", "-", "+", ".");
    return Combinators.combine(pad, sign, digits, unit, pad).as((a, s, d, u, b) -> a + s + d + u + b);
  }

  @Property(tries = 5000)
  void readsAsThePatternDid(@ForAll("memoryLike") String value) {
    assertThat(Checks.sparkMemoryMib(value)).as("'%s'", value).isEqualTo(byPattern(value));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"512m|512", "2g|2048", "2GB|2048", " 1024 |1024", "1048576b|1",
      "1\u212a|0", "2048k|2", "1t|1048576", "1p|1073741824", "1024p|1099511627776", "1025p|-1", "1.5g|-1", "-1g|-1", "g|-1", "|-1",
      "9223372036854775808m|-1", "1gbb|-1"})
  void examples(String value, long mib) {
    String v = value == null ? "" : value;
    assertThat(Checks.sparkMemoryMib(v)).isEqualTo(mib).isEqualTo(byPattern(v));
  }
}
