package io.sparkk8s.validate;

import io.kubernetes.client.custom.Quantity;
import io.sparkk8s.exception.InvalidDescriptionException.Problem;
import io.sparkk8s.exception.InvalidDescriptionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects every broken rule of one description and throws them together. Rules follow the
 * Kubernetes API's own validation (apimachinery's {@code validation.IsDNS1123Label},
 * {@code IsQualifiedName}, {@code IsValidLabelValue}) and Spark's ({@code JavaUtils.byteStringAs}
 * for memory sizes), so that what passes here is accepted by the API server and by Spark.
 */
public final class Checks {
  /** The longest DNS-1123 label (a namespace, a Service name): 63 characters. */
  public static final int DNS1123_LABEL_MAX = 63;
  /** The longest DNS-1123 subdomain (most object names): 253 characters. */
  public static final int DNS1123_SUBDOMAIN_MAX = 253;
  /** The longest label value: 63 characters. */
  public static final int LABEL_VALUE_MAX = 63;
  /** Spark's minimum memory overhead ({@code spark.driver.minMemoryOverhead}, 384 MiB). */
  public static final long MIN_MEMORY_OVERHEAD_MIB = 384;
  /**
   * The largest memory size accepted, in MiB (1 EiB): far above any node, and small enough that
   * memory plus overhead, in bytes, still fits the 64-bit quantities of Kubernetes.
   */
  public static final long MAX_MEMORY_MIB = 1L << 40;

  private final String description;
  private final List<Problem> problems = new ArrayList<>();

  private Checks(String description) {
    this.description = description;
  }

  /** Starts collecting problems of a description of this kind, for example "SparkJob". */
  public static Checks of(String description) {
    return new Checks(description);
  }

  /** Records a broken rule. */
  public Checks fail(String attribute, Object value, String rule) {
    // Every message goes through Text.shown: escaped, shortened, and redacted when secret-looking.
    problems.add(new Problem(Text.shownAttribute(attribute), value == null ? null
        : Text.shown(attribute, String.valueOf(value)), rule));
    return this;
  }

  /** Records a broken rule when {@code condition} is false. */
  public Checks require(boolean condition, String attribute, Object value, String rule) {
    if (!condition) {
      fail(attribute, value, rule);
    }
    return this;
  }

  /** Whether any rule was broken so far. */
  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /**
   * A key of a Secret (or ConfigMap) as the API server takes it: letters, digits, '-', '_' and
   * '.', at most 253 characters, not '.', and not starting with '..' (Kubernetes' rule for data
   * keys, which become file names).
   */
  public Checks secretKey(String attribute, String key) {
    return require(NameForms.secretKey(key), attribute, key,
        "must be a Secret key: at most 253 letters, digits, '-', '_' or '.', not '.', and not starting"
            + " with '..'");
  }

  /** Throws {@link InvalidDescriptionException} with every recorded problem, if any. */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidDescriptionException(description, problems);
    }
  }

  // ---- Kubernetes names -------------------------------------------------------------------

  /** Requires a non-empty DNS-1123 label of at most {@code maxLength} characters. */
  public Checks dnsLabel(String attribute, String value, int maxLength) {
    if (value.isEmpty()) {
      return fail(attribute, value, "must not be empty");
    }
    if (value.length() > maxLength) {
      fail(attribute, value, "must be at most " + maxLength + " characters (is " + value.length() + ")");
    }
    if (!NameForms.dnsLabel(value)) {
      fail(attribute, value, "must be a DNS-1123 label: lowercase letters, digits and '-',"
          + " starting and ending with a letter or digit");
    }
    return this;
  }

  /** Requires a non-empty DNS-1123 subdomain of at most 253 characters. */
  public Checks dnsSubdomain(String attribute, String value) {
    if (value.isEmpty()) {
      return fail(attribute, value, "must not be empty");
    }
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      fail(attribute, value, "must be at most " + DNS1123_SUBDOMAIN_MAX + " characters (is "
          + value.length() + ")");
    }
    if (!NameForms.dnsSubdomain(value)) {
      fail(attribute, value, "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.',"
          + " starting and ending with a letter or digit");
    }
    return this;
  }

  /** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
  public Checks qualifiedName(String attribute, String key) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > DNS1123_SUBDOMAIN_MAX
          || !NameForms.dnsSubdomain(prefix)) {
        fail(attribute, key, "prefix before '/' must be a DNS-1123 subdomain such as example.com");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NameForms.qualifiedNamePart(name)) {
      fail(attribute, key, "must be a qualified name: at most 63 letters, digits, '-', '_' or '.',"
          + " starting and ending with a letter or digit, with an optional DNS prefix and '/'");
    }
    return this;
  }

  /** Requires qualified names as keys and label values (at most 63 characters) as values. */
  public Checks labels(String attribute, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return this;
    }
    String keyAttribute = attribute + " key";
    labels.forEach((k, v) -> {
      qualifiedName(keyAttribute, k);
      if (v.length() > LABEL_VALUE_MAX || !NameForms.labelValue(v)) {
        fail(attribute + "[" + k + "]", v, "must be a label value: at most 63 letters, digits,"
            + " '-', '_' or '.', starting and ending with a letter or digit");
      }
    });
    return this;
  }

  /** Requires qualified names as keys and at most 256 KiB of keys and values together. */
  public Checks annotations(String attribute, Map<String, String> annotations) {
    if (annotations.isEmpty()) {
      return this;
    }
    String keyAttribute = attribute + " key";
    long size = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      qualifiedName(keyAttribute, e.getKey());
      size += e.getKey().length() + e.getValue().length();
    }
    return size <= 256 * 1024 ? this
        : fail(attribute, size + " bytes", "annotations must total at most 256 KiB");
  }

  /**
   * Free text a Kubernetes field carries as data (an argument, an environment or annotation
   * value): {@link Text.Kind#MULTILINE}.
   */
  public Checks text(String attribute, String value) {
    return text(attribute, value, Text.Kind.MULTILINE);
  }

  /** One line of text (a property value, a name, a path, an image): {@link Text.Kind#LINE}. */
  public Checks line(String attribute, String value) {
    return text(attribute, value, Text.Kind.LINE);
  }

  /** Text of {@code kind}; the message names the first refused character. */
  public Checks text(String attribute, String value, Text.Kind kind) {
    String refused = Text.refused(value, kind);
    return refused == null ? this : fail(attribute, value, Text.rule(kind) + " (found " + refused + ")");
  }

  /**
   * An absolute path inside a container or on a node: one line, no ':' (Kubernetes splits volume
   * specs on it), no {@code ..} segment (it would escape the checks made on the path). Returns the
   * path normalised ({@link Text#normalizedPath}), for rules that compare paths.
   */
  public String absolutePath(String attribute, String path) {
    line(attribute, path);
    require(path.startsWith("/"), attribute, path, "must be an absolute path");
    require(!path.contains(":"), attribute, path, "must not contain ':'");
    require(!Text.hasBackstep(path), attribute, path, "must not contain a '..' segment");
    return Text.normalizedPath(path);
  }

  /**
   * A path a volume is mounted at: an {@link #absolutePath} that is not a directory the container
   * runtime owns ({@code /}, {@code /proc}, {@code /sys} and below, {@code /dev} itself), which
   * the runtime refuses or which would hide what the process needs. Returns it normalised.
   */
  public String mountPath(String attribute, String path) {
    String normalized = absolutePath(attribute, path);
    boolean reserved = normalized.equals("/") || normalized.equals("/dev")
        || List.of("/proc", "/sys").stream()
            .anyMatch(r -> normalized.equals(r) || normalized.startsWith(r + "/"));
    require(!reserved, attribute, path, "must not be /, /dev, or at or under /proc or /sys: the"
        + " container runtime owns them");
    return normalized;
  }

  /**
   * Conf entries that become Java properties ({@code spark.properties}, {@code
   * spark-defaults.conf}): keys and values one line each; problems named {@code attribute[key]}.
   */
  public Checks conf(String attribute, Map<String, String> conf) {
    conf.forEach((k, v) -> {
      line(attribute, k);
      line(attribute + "[" + k + "]", v);
    });
    return this;
  }

  /** A container image reference checked loosely: one line, not blank, no white space. */
  public Checks image(String attribute, String image) {
    line(attribute, image);
    boolean spaced = image.codePoints()
        .anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    return require(!image.isBlank() && !spaced, attribute, image,
        "must be a container image reference without spaces");
  }

  /** The value with control characters and surrogates written as {@code \\uXXXX}; see {@link Text#escape}. */
  public static String escape(String value) {
    return Text.escape(value);
  }

  /** Requires a name the kubelet accepts for an environment variable. */
  public Checks envName(String attribute, String name) {
    return require(NameForms.envName(name), attribute, name,
        "must be a C identifier-like environment variable name (letters, digits, '_', '-', '.',"
            + " not starting with a digit)");
  }

  /** A Kubernetes quantity such as {@code 500m}, {@code 1.5} or {@code 2}; must be positive. */
  public Checks cpuQuantity(String attribute, String value) {
    return positiveQuantity(attribute, value, "must be a positive CPU quantity",
        "must be a Kubernetes quantity such as 500m, 1 or 1.5");
  }

  /** A Kubernetes quantity of bytes such as {@code 1Gi}; must be positive. */
  public Checks byteQuantity(String attribute, String value) {
    return positiveQuantity(attribute, value, "must be a positive quantity",
        "must be a Kubernetes quantity such as 512Mi or 10Gi");
  }

  private Checks positiveQuantity(String attribute, String value, String positiveRule,
      String formRule) {
    try {
      Quantity q = Quantities.parse(value);
      require(q.getNumber().signum() > 0, attribute, value, positiveRule);
    } catch (RuntimeException e) {
      fail(attribute, value, formRule);
    }
    return this;
  }

  /**
   * A Spark memory size as {@code spark.driver.memory} takes it ({@code 512m}, {@code 4g}; a bare
   * number means MiB). Returns the size in MiB, or -1 when invalid (and records the problem).
   */
  public long sparkMemory(String attribute, String value) {
    if (Text.refused(value, Text.Kind.LINE) != null) {
      line(attribute, value);
      return -1;
    }
    long mib = sparkMemoryMib(value);
    if (mib < 0) {
      fail(attribute, value, "must be a Spark memory size such as 512m or 4g, at most 1024p");
    } else if (mib == 0) {
      fail(attribute, value, "must be at least 1m");
    }
    return mib;
  }

  /**
   * Memory with overhead in MiB, as Spark's {@code BasicDriverFeatureStep} computes it: the
   * explicit overhead when given ({@code explicitOverheadMib >= 0}), else {@code factor} times the
   * memory but at least {@code minOverheadMib}. Saturates at {@code Long.MAX_VALUE}.
   */
  public static long memoryWithOverheadMib(long memoryMib, double factor, long minOverheadMib,
      long explicitOverheadMib) {
    long overhead = explicitOverheadMib >= 0 ? explicitOverheadMib
        : Math.max((long) (factor * memoryMib), minOverheadMib);
    long total = memoryMib + overhead;
    return total < 0 ? Long.MAX_VALUE : total;
  }

  /**
   * Parses a Spark memory string the way Spark's {@code byteStringAsMb} does; -1 if invalid or
   * larger than {@link #MAX_MEMORY_MIB}.
   */
  public static long sparkMemoryMib(String value) {
    // By hand, not by regular expression: read several times per build(). Trimmed and lowercased
    // as Spark does (toLowerCase(ROOT) turns the Kelvin sign into 'k'); digits, then b, or k, m,
    // g, t, p with an optional b (SparkMemoryTest holds it to the pattern it replaces).
    int from = 0;
    int to = value.length();
    while (from < to && value.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && value.charAt(to - 1) <= ' ') {
      to--;
    }
    int i = from;
    long n = 0;
    for (; i < to && value.charAt(i) >= '0' && value.charAt(i) <= '9'; i++) {
      if (n > (Long.MAX_VALUE - 9) / 10) {
        return -1; // beyond a long, as Long.parseLong refuses it
      }
      n = n * 10 + (value.charAt(i) - '0');
    }
    if (i == from) {
      return -1;
    }
    char unit = i == to ? 'm' : lower(value.charAt(i));
    boolean suffixOk = switch (to - i) {
      case 0 -> true;
      case 1 -> "bkmgtp".indexOf(unit) >= 0;
      case 2 -> "kmgtp".indexOf(unit) >= 0 && lower(value.charAt(i + 1)) == 'b';
      default -> false;
    };
    if (!suffixOk) {
      return -1;
    }
    long mib;
    try {
      mib = switch (unit) {
        case 'b' -> n / (1024 * 1024);
        case 'k' -> n / 1024;
        case 'm' -> n;
        case 'g' -> Math.multiplyExact(n, 1024L);
        case 't' -> Math.multiplyExact(n, 1024L * 1024);
        default -> Math.multiplyExact(n, 1024L * 1024 * 1024); // 'p'
      };
    } catch (ArithmeticException e) {
      return -1;
    }
    return mib > MAX_MEMORY_MIB ? -1 : mib;
  }

  /** A unit letter as {@code toLowerCase(Locale.ROOT)} gives it. */
  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c == '\u212a' ? 'k' : c;
  }

}
