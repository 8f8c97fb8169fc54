package io.sparkk8s.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector in the API server's syntax: requirements joined by commas, all of which must
 * hold. Equality-based ({@code k=v}, {@code k==v}, {@code k!=v}), set-based ({@code k in (a,b)},
 * {@code k notin (a,b)}) and existence ({@code k}, {@code !k}). As in Kubernetes, {@code !=} and
 * {@code notin} also match objects without the label.
 */
final class LabelSelector {
  private static final String NAME = "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String KEY = "(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME;
  private static final String VALUE = "(?:" + NAME + ")?";
  private static final Pattern NOT_EXISTS = Pattern.compile("!\\s*(" + KEY + ")");
  private static final Pattern EQUALITY =
      Pattern.compile("(" + KEY + ")\\s*(==|!=|=)\\s*(" + VALUE + ")");
  private static final Pattern SET = Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\((.*)\\)");
  private static final Pattern EXISTS = Pattern.compile(KEY);
  private static final Pattern SET_VALUE = Pattern.compile(VALUE);

  private final List<Predicate<Map<String, String>>> requirements;

  private LabelSelector(List<Predicate<Map<String, String>>> requirements) {
    this.requirements = requirements;
  }

  /**
   * Parses {@code selector}; null or blank selects everything.
   *
   * @throws IllegalArgumentException naming the requirement that is not valid syntax
   */
  static LabelSelector parse(String selector) {
    List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
    if (selector != null && !selector.isBlank()) {
      for (String part : splitTopLevel(selector)) {
        requirements.add(requirement(part.trim()));
      }
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  /** Whether an object with these labels is selected. */
  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.test(labels));
  }

  private static Predicate<Map<String, String>> requirement(String r) {
    Matcher m;
    if ((m = NOT_EXISTS.matcher(r)).matches()) {
      String key = m.group(1);
      return labels -> !labels.containsKey(key);
    }
    if ((m = EQUALITY.matcher(r)).matches()) {
      String key = m.group(1);
      String value = m.group(3);
      return m.group(2).equals("!=")
          ? labels -> !value.equals(labels.get(key))
          : labels -> value.equals(labels.get(key));
    }
    if ((m = SET.matcher(r)).matches()) {
      String key = m.group(1);
      if (m.group(3).isBlank()) {
        throw invalid(r);
      }
      List<String> values = new ArrayList<>();
      for (String v : m.group(3).split(",", -1)) {
        if (!SET_VALUE.matcher(v.trim()).matches()) {
          throw invalid(r);
        }
        values.add(v.trim());
      }
      Set<String> set = Set.copyOf(values);
      Predicate<Map<String, String>> in =
          labels -> labels.containsKey(key) && set.contains(labels.get(key));
      return m.group(2).equals("in") ? in : in.negate();
    }
    if (EXISTS.matcher(r).matches()) {
      return labels -> labels.containsKey(r);
    }
    throw invalid(r);
  }

  /** Splits at the commas between requirements, not those inside {@code (a,b)}. */
  private static List<String> splitTopLevel(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        throw invalid(selector);
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw invalid(selector);
    }
    parts.add(selector.substring(start));
    return parts;
  }

  private static IllegalArgumentException invalid(String requirement) {
    return new IllegalArgumentException("unable to parse requirement: '" + requirement + "'");
  }
}
