package io.sparkk8s.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code spark.properties} is written in one pass; it must be byte for byte what the JDK's
 * {@code Properties.store(Writer, comment)} writes for the same entries in key order (less its
 * timestamp line), and read back by {@code Properties.load} as the same map, for any text:
 * escapes, separators, leading spaces, control characters, characters beyond Latin-1 and
 * surrogates included.
 */
class PropertiesTextTest {

  /** What the JDK writes, its timestamp line (the second) dropped, keys in order. */
  private static String jdk(Map<String, String> map, String comment) throws IOException {
    Properties sorted = new Properties() {
      private static final long serialVersionUID = 1L;

      @Override
      public java.util.Set<Map.Entry<Object, Object>> entrySet() {
        java.util.Set<Map.Entry<Object, Object>> entries = new java.util.LinkedHashSet<>();
        super.entrySet().stream().sorted(java.util.Comparator.comparing(e -> e.getKey().toString()))
            .forEachOrdered(entries::add);
        return entries;
      }
    };
    sorted.putAll(map);
    StringWriter out = new StringWriter();
    sorted.store(out, comment);
    String text = out.toString().replace(System.lineSeparator(), "\n");
    // The comment's lines, then "#<date>", then the entries.
    int commentLines = comment == null ? 0 : (int) PropertiesText.of(Map.of(), comment).chars()
        .filter(c -> c == '\n').count();
    String[] lines = text.split("\n", -1);
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < lines.length - 1; i++) {
      if (i != commentLines) {
        kept.append(lines[i]).append('\n');
      }
    }
    return kept.toString();
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(" \t\n\r\f=:#!\\aZ09.-_\u0085\u00e9\u2028\uFEFF\u4e2d").ofMaxLength(12),
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().alpha().numeric().withChars('.', '-').ofMinLength(1).ofMaxLength(20));
  }

  @Provide
  Arbitrary<Map<String, String>> maps() {
    return Arbitraries.maps(text(), text()).ofMaxSize(8);
  }

  @Property(tries = 500)
  void sameBytesAsTheJdkAndReadBackTheSame(@ForAll("maps") Map<String, String> map,
      @ForAll("text") String comment) throws IOException {
    String ours = PropertiesText.of(map, comment);
    assertThat(ours).isEqualTo(jdk(map, comment));
    Properties read = new Properties();
    read.load(new StringReader(ours));
    Map<String, String> back = new TreeMap<>();
    read.forEach((k, v) -> back.put((String) k, (String) v));
    assertThat(back).isEqualTo(new TreeMap<>(map));
  }

  @Property(tries = 100)
  void withoutACommentOnlyTheEntries(@ForAll("maps") Map<String, String> map) throws IOException {
    assertThat(PropertiesText.of(map, null)).isEqualTo(jdk(map, null));
  }

  /** The bound that lets the size rule skip rendering small confs is never below the real size. */
  @Property(tries = 500)
  void mostBytesIsNeverBelowTheRenderedSize(@ForAll("maps") Map<String, String> map) {
    long rendered = PropertiesText.of(map, "").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(PropertiesText.mostBytes(map)).isGreaterThanOrEqualTo(rendered);
  }
}
