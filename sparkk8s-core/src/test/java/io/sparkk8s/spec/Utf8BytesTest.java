package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Utf8Bytes} against the JDK's encoder: the same count and the same hash, surrogates included. */
class Utf8BytesTest {

  /** Any chars, unpaired surrogates among them, longer than one chunk now and then. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> c = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.chars().range(' ', '~')),
        net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07ff')),
        net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0800', '\uffff')),
        net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\ud800', '\udfff')));
    return c.list().ofMaxSize(700).map(l -> {
      StringBuilder sb = new StringBuilder();
      l.forEach(sb::append);
      return sb.toString();
    });
  }

  @Property(tries = 2000)
  void countsAndHashesAsGetBytes(@ForAll("texts") String s) {
    byte[] expected = s.getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8Bytes.length(s)).isEqualTo(expected.length);
    assertThat(Utf8Bytes.put(Hashing.sha256().newHasher(), s).hash())
        .isEqualTo(Hashing.sha256().hashBytes(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "caf\u00e9", "\u20ac5", "\ud83d\ude00 smile", "lone \ud800 high", "lone \udc00 low",
      "end \ud83d"})
  void theEdgesToo(String s) {
    assertThat(Utf8Bytes.length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    assertThat(Utf8Bytes.put(Hashing.sha256().newHasher(), s).hash())
        .isEqualTo(Hashing.sha256().hashString(s, StandardCharsets.UTF_8));
  }
}
