package io.sparkk8s.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {

  @Test
  void everyC0AndC1ControlIsRefusedInOneLine() {
    for (char ch = 0; ch < 0x20; ch++) {
      assertThat(Text.refused("a" + ch, Text.Kind.LINE)).as("U+%04X", (int) ch).isNotNull();
    }
    for (char ch = 0x7f; ch <= 0x9f; ch++) {
      assertThat(Text.refused("a" + ch, Text.Kind.LINE)).as("U+%04X", (int) ch).isNotNull();
      assertThat(Text.refused("a" + ch, Text.Kind.MULTILINE)).as("U+%04X", (int) ch).isNotNull();
    }
  }

  @Test
  void multilineTextAllowsTabAndLineFeedOnly() {
    assertThat(Text.refused("a\tb\nc", Text.Kind.MULTILINE)).isNull();
    assertThat(Text.refused("a\r\nb", Text.Kind.MULTILINE)).contains("carriage return");
    assertThat(Text.refused("a\tb", Text.Kind.LINE)).contains("U+0009 (tab) at index 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0085", "\u2028", "\u2029", "\uFEFF", "\uFFFE", "\uFFFF", "\uD800",
      "\uDC00", "x\uD800y"})
  void yamlLineBreaksNonCharactersAndLoneSurrogatesAreRefused(String value) {
    assertThat(Text.refused(value, Text.Kind.MULTILINE)).isNotNull();
    assertThat(Text.refused(value, Text.Kind.LINE)).isNotNull();
  }

  @Test
  void ordinaryUnicodeAndYamlSpecialsAreAllowed() {
    for (String ok : new String[] {"ünïcødé", "日本語", "🚀", "--- !!binary", "a: b # c", "'\"",
        "\u00a0", "e\u0301", "\u202Eevil"}) {
      assertThat(Text.refused(ok, Text.Kind.LINE)).as(ok).isNull();
    }
  }

  @Test
  void escapeWritesRefusedCharactersAsUnicodeEscapes() {
    assertThat(Text.escape("a\u0085b\u2028c\0d🚀")).isEqualTo("a\\u0085b\\u2028c\\u0000d🚀");
  }

  @Test
  void secretsAreRecognisedByKeyOrByValue() {
    assertThat(Text.secretKey("spark.kubernetes.authenticate.submission.oauthToken")).isTrue();
    assertThat(Text.secretKey("spark.hadoop.fs.s3a.access.key")).isTrue();
    assertThat(Text.secretKey("AWS_SECRET_ACCESS_KEY")).isTrue();
    assertThat(Text.secretKey("spark.ssl.keyStorePassword")).isTrue();
    assertThat(Text.secretKey("spark.executor.memory")).isFalse();
    assertThat(Text.secretValue("-----BEGIN PRIVATE KEY-----\nMII")).isTrue();
    assertThat(Text.secretValue("AKIAABCDEFGHIJKLMNOP")).isTrue();
    assertThat(Text.secretValue("https://user:pw@host/x")).isTrue();
    assertThat(Text.secretValue("eyJhbGciOiJIUzI1.eyJzdWIiOiIx.sig")).isTrue();
    assertThat(Text.secretValue("4g")).isFalse();
  }

  @Test
  void onlyTheBracketedKeyOfAnAttributeDecidesRedaction() {
    assertThat(Text.shown("sparkConf[spark.x.token]", "abc")).isEqualTo("<redacted>");
    assertThat(Text.shown("env[MODE]", "abc")).isEqualTo("abc");
    // Attribute names such as secretEnv hold references, not secrets.
    assertThat(Text.shown("secretEnv", "AWS_SECRET_ACCESS_KEY")).isEqualTo("AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void pathsAreNormalisedAsTheKernelResolvesThem() {
    assertThat(Text.normalizedPath("/opt/spark/./conf/")).isEqualTo("/opt/spark/conf");
    assertThat(Text.normalizedPath("//opt//spark")).isEqualTo("/opt/spark");
    assertThat(Text.normalizedPath("/")).isEqualTo("/");
    assertThat(Text.hasBackstep("/var/../etc")).isTrue();
    assertThat(Text.hasBackstep("/var/..x/etc")).isFalse();
  }

  @Test
  void secretScanIsLinearOnHugeValues() {
    String huge = "eyJ".repeat(30_000) + "://" + "a".repeat(70_000);
    long start = System.nanoTime();
    Text.secretValue(huge);
    Text.secretKey(huge);
    Text.shown("sparkConf[x]", huge);
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }
}
