package io.sparkk8s.internal.compile;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code spark.properties} as text. Spark writes it with {@code Properties.store}, which escapes
 * keys and values for {@code Properties.load} on the driver; this reuses the same escaping, but
 * sorts the keys and leaves out the timestamp comment so equal input gives equal bytes.
 */
public final class PropertiesText {
  private PropertiesText() {}

  public static String of(Map<String, String> properties, String comment) {
    Properties sorted = new Properties() {
      private static final long serialVersionUID = 1L;

      @Override
      public Set<Map.Entry<Object, Object>> entrySet() {
        Set<Map.Entry<Object, Object>> entries = new LinkedHashSet<>();
        super.entrySet().stream()
            .sorted(Comparator.comparing(e -> e.getKey().toString()))
            .forEachOrdered(entries::add);
        return Collections.unmodifiableSet(entries);
      }
    };
    sorted.putAll(properties);
    StringWriter out = new StringWriter();
    try {
      sorted.store(out, comment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Properties.store writes the comment line, then "#<date>": keep the first, drop the second.
    String[] lines = out.toString().split("\n", -1);
    StringBuilder text = new StringBuilder(lines[0]).append('\n');
    for (int i = 2; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        text.append(lines[i]).append('\n');
      }
    }
    return text.toString();
  }
}
