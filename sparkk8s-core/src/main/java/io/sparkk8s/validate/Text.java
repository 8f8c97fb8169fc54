package io.sparkk8s.validate;

import java.util.regex.Pattern;

/**
 * The one definition of what text the SDK may write into YAML, Java properties, environment
 * variables, arguments, JVM option lines and shells, and of how a value is shown back to people
 * (escaped, shortened, redacted when it looks secret).
 *
 * <p>Two kinds of text:
 *
 * <ul>
 *   <li>{@link Kind#LINE}: one line. Every value that becomes a Java property ({@code sparkConf},
 *       {@code spark-defaults.conf}), a path, a name, an image, a size. Refused: every C0 control
 *       (tab and line breaks included), DEL, every C1 control (U+0080 to U+009F, so NEL U+0085),
 *       the line and paragraph separators U+2028 and U+2029, the byte-order mark U+FEFF, the
 *       non-characters U+FFFE and U+FFFF, and unpaired surrogates.
 *   <li>{@link Kind#MULTILINE}: free text that a Kubernetes field carries as data: arguments,
 *       environment values and annotation values. The same, except that tab and line feed
 *       ({@code \n}) are allowed. Carriage return is refused: YAML reads a CR as a line break of
 *       its own, so CR LF would not come back as written.
 * </ul>
 *
 * <p>Why these: SnakeYAML (and kubectl's decoder) read NEL, U+2028 and U+2029 as line breaks,
 * and {@code Properties.store} to a writer leaves them unescaped, so such a value would end a
 * property inside {@code spark.properties} and start another that the caller never set. Other
 * controls and non-characters are not printable YAML: SnakeYAML writes the whole string as an
 * unreadable {@code !!binary} block. A NUL cannot reach a process in an argument or environment.
 */
public final class Text {
  /** What a field may hold; see the class comment. */
  public enum Kind {
    /** One line: no control character at all. */
    LINE,
    /** Free text: tab and line feed allowed. */
    MULTILINE
  }

  /** Shown instead of a value whose key or content looks secret. */
  public static final String REDACTED = "<redacted>";
  /** Longest value shown in a message; longer ones are cut, with their length. */
  public static final int SHOWN_MAX = 256;

  /**
   * Keys whose values are treated as secrets, after Spark's own {@code spark.redaction.regex}
   * ({@code (?i)secret|password|token|access[.]?key}) and a few more.
   */
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i)secret|password|passwd|token|credential|access.?key|private.?key|api.?key|"
          + "authorization|bearer");
  /** Values that look like credentials whatever their key: PEM keys, JWTs, AWS key ids, URL passwords. */
  private static final Pattern SECRET_VALUE = Pattern.compile(
      "-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----|eyJ[A-Za-z0-9_-]{8,512}+\\.eyJ"
          + "|\\b(AKIA|ASIA)[A-Z0-9]{16}\\b|://[^/\\s:@]{1,256}:[^/\\s@]{1,256}@"
          + "|(?i:password|passwd|secret|token)\\s{0,8}[=:]");

  private Text() {}

  /**
   * The first character of {@code value} that {@code kind} refuses, described for a message
   * ({@code "U+0085 (NEL) at index 3"}), or null when the value is allowed.
   */
  public static String refused(String value, Kind kind) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
        continue;
      }
      if (!allowed(ch, kind)) {
        return String.format("U+%04X%s at index %d", (int) ch, name(ch), i);
      }
    }
    return null;
  }

  /** Whether {@code ch} (not part of a surrogate pair) may appear in text of this kind. */
  static boolean allowed(char ch, Kind kind) {
    if (ch == '\t' || ch == '\n') {
      return kind == Kind.MULTILINE;
    }
    return !(ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029'
        || ch == '\uFEFF' || ch == '\uFFFE' || ch == '\uFFFF' || Character.isSurrogate(ch));
  }

  private static String name(char ch) {
    return switch (ch) {
      case 0 -> " (NUL)";
      case '\t' -> " (tab)";
      case '\n' -> " (line feed)";
      case '\r' -> " (carriage return)";
      case 0x85 -> " (NEL, a YAML line break)";
      case '\u2028' -> " (line separator, a YAML line break)";
      case '\u2029' -> " (paragraph separator, a YAML line break)";
      case '\uFEFF' -> " (byte-order mark)";
      default -> Character.isSurrogate(ch) ? " (unpaired surrogate)" : "";
    };
  }

  /** The rule text of {@code kind}, as messages state it. */
  public static String rule(Kind kind) {
    return kind == Kind.LINE
        ? "must be one line of valid Unicode text without NUL or other control characters (C0"
            + " including tab and line breaks, DEL, C1 including NEL U+0085), U+2028, U+2029,"
            + " U+FEFF, U+FFFE, U+FFFF or unpaired surrogates"
        : "must be valid Unicode text without NUL or other control characters (tab and line feed"
            + " allowed; carriage return, DEL and C1 including NEL U+0085 refused), U+2028,"
            + " U+2029, U+FEFF, U+FFFE, U+FFFF or unpaired surrogates";
  }

  // ---- secrets ------------------------------------------------------------------------------

  /** Whether a value under this key (a conf key, an env name) is treated as a secret. */
  public static boolean secretKey(String key) {
    return key != null && SECRET_KEY.matcher(key).find();
  }

  /** Whether the value itself looks like a credential. */
  public static boolean secretValue(String value) {
    return value != null && SECRET_VALUE.matcher(value).find();
  }

  /**
   * Whether a problem's value must not be shown: the map key inside the attribute's brackets
   * ({@code sparkConf[spark.x.token]}, {@code env[API_TOKEN]}) looks secret, or the value does.
   * The attribute's own name is not looked at: {@code secretEnv} holds names, not secrets.
   */
  public static boolean hidden(String attribute, String value) {
    if (secretValue(value)) {
      return true;
    }
    int open = attribute.indexOf('[');
    while (open >= 0) {
      int close = attribute.indexOf(']', open);
      if (close < 0) {
        break;
      }
      if (secretKey(attribute.substring(open + 1, close))) {
        return true;
      }
      open = attribute.indexOf('[', close);
    }
    return false;
  }

  /** A value as messages show it: redacted when {@link #hidden}, else escaped and shortened. */
  public static String shown(String attribute, String value) {
    if (value == null) {
      return null;
    }
    if (hidden(attribute, value)) {
      return REDACTED;
    }
    return escapedAndShortened(value);
  }

  /**
   * An attribute as messages show it: escaped and shortened like a value, since it may hold a
   * map key the caller chose ({@code sparkConf[<key>]}); never redacted.
   */
  public static String shownAttribute(String attribute) {
    return escapedAndShortened(attribute);
  }

  /** Escaped, and cut at {@link #SHOWN_MAX} characters with the original's length said. */
  private static String escapedAndShortened(String text) {
    String escaped = escape(text);
    return escaped.length() <= SHOWN_MAX ? escaped
        : escaped.substring(0, SHOWN_MAX) + "...(" + text.length() + " characters)";
  }

  /**
   * The value with every character {@link Kind#LINE} refuses written as {@code \\uXXXX}, so a
   * message is one readable line.
   */
  public static String escape(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        sb.append(ch).append(value.charAt(++i));
      } else if (allowed(ch, Kind.LINE)) {
        sb.append(ch);
      } else {
        sb.append(String.format("\\u%04x", (int) ch));
      }
    }
    return sb.toString();
  }

  // ---- paths --------------------------------------------------------------------------------

  /**
   * An absolute path as the kernel resolves it when it has no {@code ..}: repeated slashes and
   * {@code .} segments dropped, no trailing slash ({@code /opt/spark/./conf/} is
   * {@code /opt/spark/conf}). Paths with {@code ..} are refused before this matters.
   */
  public static String normalizedPath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        sb.append('/').append(segment);
      }
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** Whether a path has a {@code ..} segment. */
  public static boolean hasBackstep(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
