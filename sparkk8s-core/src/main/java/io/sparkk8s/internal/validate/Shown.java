package io.sparkk8s.internal.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code toString()} of a description, in the form Immutables gives ({@code
 * SparkJob{name=pi, namespace=default, ...}}, absent optionals left out), with conf and
 * environment values that look secret shown as {@value Text#REDACTED} ({@link Text#redacted}).
 * Immutables can only redact a whole attribute, not one entry of a map, so descriptions holding
 * free-form conf write their {@code toString()} with this.
 *
 * <pre>{@code
 * return Shown.of("HistoryServer").add("memory", memory()).conf("sparkConf", sparkConf()).toString();
 * }</pre>
 */
public final class Shown {
  private final StringBuilder sb;
  private boolean first = true;

  private Shown(String type) {
    sb = new StringBuilder(type).append('{');
  }

  /** Starts the string of a description of this type. */
  public static Shown of(String type) {
    return new Shown(type);
  }

  /** An attribute; an empty {@link Optional} is left out, a present one shown unwrapped. */
  public Shown add(String name, Object value) {
    Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
    if (v == null && value instanceof Optional<?>) {
      return this;
    }
    sb.append(first ? "" : ", ").append(name).append('=').append(v);
    first = false;
    return this;
  }

  /** A map of conf or environment, its secret-looking values redacted. */
  public Shown conf(String name, Map<String, String> conf) {
    return add(name, Text.redacted(conf));
  }

  /** A list of free text such as arguments, its secret-looking values redacted. */
  public Shown texts(String name, List<String> values) {
    return add(name, Text.redacted(values));
  }

  @Override
  public String toString() {
    return sb + "}";
  }
}
