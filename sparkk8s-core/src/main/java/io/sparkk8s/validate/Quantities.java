package io.sparkk8s.validate;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Kubernetes quantities ({@code 500m}, {@code 1.5}, {@code 2Gi}) read as client-java's
 * {@link Quantity#fromString} reads them, without its cost on the common forms: it splits each
 * value with a regular expression compiled on every call, which was about a third of what
 * {@code build()} allocated for a job. Digits with at most one '.' and one of the SI suffixes are
 * read here with the same arithmetic (so the number is equal, scale included); anything else
 * (exponents, signs, text) goes to client-java. {@code QuantitiesTest} holds the two equal on
 * generated input.
 *
 * <pre>{@code
 * BigDecimal cores = Quantities.parse("500m").getNumber(); // 0.500
 * }</pre>
 */
public final class Quantities {
  /** Each SI suffix: its multiplier, computed as client-java does, and its format. */
  private static final Map<String, Quantity> UNITS = new HashMap<>();

  static {
    String[] decimal = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    int[] decimalExponent = {-9, -6, -3, 0, 3, 6, 9, 12, 15, 18};
    for (int i = 0; i < decimal.length; i++) {
      UNITS.put(decimal[i], unit(10, decimalExponent[i], Quantity.Format.DECIMAL_SI));
    }
    String[] binary = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    for (int i = 0; i < binary.length; i++) {
      UNITS.put(binary[i], unit(2, 10 * (i + 1), Quantity.Format.BINARY_SI));
    }
  }

  private Quantities() {}

  private static Quantity unit(int base, int exponent, Quantity.Format format) {
    return new Quantity(BigDecimal.valueOf(base).pow(exponent, MathContext.DECIMAL64), format);
  }

  /**
   * The quantity, equal to {@link Quantity#fromString}'s (number with its scale, and format).
   *
   * @throws RuntimeException as client-java does for what is not a quantity
   */
  public static Quantity parse(String value) {
    int end = value == null ? 0 : numberEnd(value);
    Quantity unit = end > 0 ? UNITS.get(value.substring(end)) : null;
    if (unit == null) {
      return Quantity.fromString(value);
    }
    BigDecimal number = new BigDecimal(value.substring(0, end)).multiply(unit.getNumber());
    return new Quantity(number, unit.getFormat());
  }

  /**
   * Where a plain decimal number ({@code 12}, {@code 1.5}, {@code 1.}) at the start ends, or 0 if
   * the value does not start with one.
   */
  private static int numberEnd(String value) {
    int i = 0;
    boolean digits = false;
    boolean point = false;
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    return digits ? i : 0;
  }
}
