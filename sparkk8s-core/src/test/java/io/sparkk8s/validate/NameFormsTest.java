package io.sparkk8s.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NameForms} against the regular expressions it replaced (Kubernetes' own forms), on generated text. */
class NameFormsTest {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  /** Kubernetes' config-map key form; the key must also not be '.' nor start with '..', and be at most 253 long. */
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** Short text over the characters the forms care about, and a few they refuse. */
  @Provide
  Arbitrary<String> nameLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab09-.").ofMaxLength(8),
        Arbitraries.strings().withChars("aZ09-._ /\u00e9\u0130\u212a").ofMaxLength(8),
        Arbitraries.strings().all().ofMaxLength(4));
  }

  @Property(tries = 3000)
  void everyFormMatchesItsPattern(@ForAll("nameLike") String s) {
    same(s, DNS1123_LABEL, NameForms::dnsLabel);
    same(s, DNS1123_SUBDOMAIN, NameForms::dnsSubdomain);
    same(s, QUALIFIED_NAME_PART, NameForms::qualifiedNamePart);
    same(s, LABEL_VALUE, NameForms::labelValue);
    same(s, ENV_NAME, NameForms::envName);
    assertThat(NameForms.secretKey(s)).as("secret key '%s'", s).isEqualTo(
        SECRET_KEY.matcher(s).matches() && !s.equals(".") && !s.startsWith("..") && s.length() <= 253);
  }

  @ParameterizedTest
  @CsvSource({"access-key,true", "..data,false", "..,false", ".,false", "._x,true", ".x,true", "a/b,false"})
  void secretKeys(String key, boolean valid) {
    assertThat(NameForms.secretKey(key)).isEqualTo(valid);
  }

  @Test
  void secretKeysAreAtMost253Characters() {
    assertThat(NameForms.secretKey("k".repeat(253))).isTrue();
    assertThat(NameForms.secretKey("k".repeat(254))).isFalse();
  }

  private static void same(String s, Pattern pattern, Predicate<String> form) {
    assertThat(form.test(s)).as("%s on '%s'", pattern, s).isEqualTo(pattern.matcher(s).matches());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "spark-pi|true|true|true", "a|true|true|true", "-a|false|false|false", "a-|false|false|false",
      "a.b|false|true|true", "a..b|false|false|true", ".a|false|false|false", "a.|false|false|false",
      "Spark|false|false|true", "a_b|false|false|true", "''|false|false|false"})
  void examples(String s, boolean label, boolean subdomain, boolean namePart) {
    String v = s.equals("''") ? "" : s;
    assertThat(NameForms.dnsLabel(v)).isEqualTo(label);
    assertThat(NameForms.dnsSubdomain(v)).isEqualTo(subdomain);
    assertThat(NameForms.qualifiedNamePart(v)).isEqualTo(namePart);
  }
}
