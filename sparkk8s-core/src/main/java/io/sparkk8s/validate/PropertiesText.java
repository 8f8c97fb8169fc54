package io.sparkk8s.validate;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code spark.properties} as text. Spark writes it with {@code Properties.store}, which escapes
 * keys and values for {@code Properties.load} on the driver; this writes exactly what
 * {@code Properties.store(Writer, comment)} writes (the same escaping of keys, values and the
 * comment line), but with the keys sorted and without the timestamp comment, so equal input gives
 * equal bytes. It writes in one pass: {@code Properties.store} with a sorted copy cost a buffered
 * writer, a date and a second copy of the text per compile ({@code PropertiesTextTest} holds the
 * output to the JDK's, byte for byte, and reads it back with {@code Properties.load}).
 */
public final class PropertiesText {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private PropertiesText() {}

  /**
   * The text {@code Properties.store} writes for {@code properties} under a {@code #} line of
   * {@code comment}, keys sorted, without its timestamp line.
   */
  public static String of(Map<String, String> properties, String comment) {
    // A map sorted in natural order (the compiler's TreeMap) is written as it is; others sorted.
    Map<String, String> sorted = properties instanceof SortedMap<String, String> m && m.comparator() == null
        ? properties : new TreeMap<>(properties);
    StringBuilder out = new StringBuilder(64 + 64 * sorted.size());
    if (comment != null) {
      comment(out, comment);
    }
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String key = e.getKey();
      String value = Objects.requireNonNull(e.getValue(), () -> "no value for property " + key);
      escaped(out, key, true);
      out.append('=');
      escaped(out, value, false);
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * At least the number of UTF-8 bytes of {@code of(properties, "")}, without writing it: escaped
   * or not, a character is at most 3 bytes ({@code \\t}, a BMP character; a surrogate pair is 4 for
   * two), each line adds '=' and a newline, and the empty comment is 2.
   */
  public static long mostBytes(Map<String, String> properties) {
    long most = 2;
    for (var e : properties.entrySet()) {
      most += 3L * (e.getKey().length() + e.getValue().length()) + 2;
    }
    return most;
  }

  /** As {@code Properties.saveConvert} with {@code escapeUnicode} false (a Writer). */
  private static void escaped(StringBuilder out, String s, boolean key) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 61 && c < 127) {
        if (c == '\\') {
          out.append('\\');
        }
        out.append(c);
        continue;
      }
      switch (c) {
        case ' ' -> {
          if (i == 0 || key) {
            out.append('\\');
          }
          out.append(' ');
        }
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '=', ':', '#', '!' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
  }

  /** As {@code Properties.writeComments}: '#', characters above U+00FF as {@code \\uXXXX}. */
  private static void comment(StringBuilder out, String comment) {
    out.append('#');
    int len = comment.length();
    for (int i = 0; i < len; i++) {
      char c = comment.charAt(i);
      if (c > '\u00ff') {
        out.append("\\u").append(HEX.toHexDigits(c));
      } else if (c == '\n' || c == '\r') {
        out.append('\n');
        if (c == '\r' && i != len - 1 && comment.charAt(i + 1) == '\n') {
          i++;
        }
        if (i == len - 1 || (comment.charAt(i + 1) != '#' && comment.charAt(i + 1) != '!')) {
          out.append('#');
        }
      } else {
        out.append(c);
      }
    }
    out.append('\n');
  }
}
