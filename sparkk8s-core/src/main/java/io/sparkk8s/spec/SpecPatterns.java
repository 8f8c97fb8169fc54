package io.sparkk8s.spec;

import java.util.regex.Pattern;

/**
 * The regular expressions of the descriptions' rules, compiled once: {@code String.matches}
 * compiles its expression on every call, and a description's {@code build()} runs its rules on
 * every job (issue 23's profile found the rules' compiles among the costs of a submit).
 */
final class SpecPatterns {
  /** An application id: a DNS-1123 label. */
  static final Pattern APP_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** A Spark version, {@code 4.1.1} or {@code 3.5.6-custom.1}. */
  static final Pattern SPARK_VERSION =
      Pattern.compile("[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}([-.][A-Za-z0-9.]+)?");
  /** Any white space. */
  static final Pattern WHITE_SPACE = Pattern.compile("\\s");
  /** An http(s) URL without query or fragment. */
  static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");
  /** A count of at most nine digits. */
  static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");

  private SpecPatterns() {}
}
