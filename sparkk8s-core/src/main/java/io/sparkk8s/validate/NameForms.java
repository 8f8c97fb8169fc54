package io.sparkk8s.validate;

/**
 * The forms Kubernetes gives names, read by hand: these rules run several times on every
 * {@code build()} (name, namespace, accounts, every label and annotation key and value), and a
 * regular expression's matcher cost about 0.2-0.4 KB each. {@code NameFormsTest} holds each to the
 * regular expression it replaced, on generated text. Lengths are checked by the callers.
 *
 * <pre>{@code
 * NameForms.dnsLabel("spark-pi");          // true
 * NameForms.dnsSubdomain("example.com");   // true
 * NameForms.qualifiedNamePart("app_Name"); // true
 * }</pre>
 */
final class NameForms {
  private NameForms() {}

  /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}: a DNS-1123 label, length aside. */
  public static boolean dnsLabel(CharSequence s) {
    return dnsLabel(s, 0, s.length());
  }

  /** Labels of {@link #dnsLabel} form joined by '.': a DNS-1123 subdomain, length aside. */
  public static boolean dnsSubdomain(CharSequence s) {
    int from = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        if (!dnsLabel(s, from, i)) {
          return false;
        }
        from = i + 1;
      }
    }
    return true;
  }

  /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}: the name part of a label or annotation key. */
  public static boolean qualifiedNamePart(CharSequence s) {
    int n = s.length();
    if (n == 0 || !alnum(s.charAt(0)) || !alnum(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** A label value: empty, or of {@link #qualifiedNamePart} form. */
  public static boolean labelValue(CharSequence s) {
    return s.length() == 0 || qualifiedNamePart(s);
  }

  /**
   * A key of a Secret or ConfigMap as the API server takes it: {@code [-._a-zA-Z0-9]+}, at most 253
   * characters, not {@code .}, and not starting with {@code ..} (data keys become file names).
   */
  public static boolean secretKey(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > 253 || (s.charAt(0) == '.' && (n == 1 || s.charAt(1) == '.'))) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '.' && c != '_') {
        return false;
      }
    }
    return true;
  }

  /** {@code [-._a-zA-Z][-._a-zA-Z0-9]*}: an environment variable name as Kubernetes takes it. */
  public static boolean envName(CharSequence s) {
    if (s.length() == 0 || (s.charAt(0) >= '0' && s.charAt(0) <= '9')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '.' && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean dnsLabel(CharSequence s, int from, int to) {
    if (from >= to || !lowerAlnum(s.charAt(from)) || !lowerAlnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!lowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean lowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean alnum(char c) {
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }
}
