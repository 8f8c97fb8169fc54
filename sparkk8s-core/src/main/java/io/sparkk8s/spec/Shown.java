package io.sparkk8s.spec;

import io.sparkk8s.validate.Text;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code toString()} of a description, in the form Immutables gives ({@code
 * SparkJob{name=pi, namespace=default, ...}}, absent optionals left out), with conf and
 * environment values that look secret shown as {@value Text#REDACTED} ({@link Text#secretKey}, {@link Text#secretValue}).
 * Immutables can only redact a whole attribute, not one entry of a map, so descriptions holding
 * free-form conf write their {@code toString()} with this.
 *
 * <pre>{@code
 * return Shown.of("HistoryServer").add("memory", memory()).conf("sparkConf", sparkConf()).toString();
 * }</pre>
 */
final class Shown {
  private final StringBuilder sb;
  /** This, or the description whose text this part writes into ({@link #open}). */
  private final Shown root;
  /** On the root: the values written as redacted, in the order of the text; null until one is. */
  private List<String> redacted;
  private boolean first = true;
  private boolean closed;

  private Shown(String type, int capacity) {
    sb = new StringBuilder(capacity).append(type).append('{');
    root = this;
  }

  private Shown(Shown parent, String type) {
    sb = parent.sb.append(type).append('{');
    root = parent.root;
  }

  /** Starts the string of a description of this type. */
  public static Shown of(String type) {
    return new Shown(type, 128);
  }

  /** Starts the string of a description whose text is usually about {@code capacity} characters. */
  public static Shown of(String type, int capacity) {
    return new Shown(type, capacity);
  }

  /** An attribute; an empty {@link Optional} is left out, a present one shown unwrapped. */
  public Shown add(String name, Object value) {
    Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
    if (v == null && value instanceof Optional<?>) {
      return this;
    }
    name(name);
    // Lists and maps written straight into this text, as their toString() would write them.
    if (v instanceof List<?> list) {
      list(list, false);
    } else if (v instanceof Map<?, ?> map) {
      map(map, false);
    } else {
      sb.append(v);
    }
    return this;
  }

  /** A map of conf or environment, its secret-looking values redacted, keys in natural order. */
  public Shown conf(String name, Map<String, String> conf) {
    name(name);
    boolean sorted = conf instanceof SortedMap<?, ?> m && m.comparator() == null;
    map(sorted ? conf : new TreeMap<>(conf), true);
    return this;
  }

  /**
   * An attribute that is itself a description written with {@code Shown}, written straight into
   * this text rather than through its own {@code toString()}: add its attributes to the returned
   * part, then {@link #end()} it. The text is the same as {@code add(name, value)} would give.
   */
  public Shown open(String name, String type) {
    name(name);
    return new Shown(this, type);
  }

  /** Ends a part {@link #open opened} inside another description's text. */
  public void end() {
    sb.append('}');
  }

  /** A list of free text such as arguments, its secret-looking values redacted. */
  public Shown texts(String name, List<String> values) {
    name(name);
    list(values, true);
    return this;
  }

  private void name(String name) {
    sb.append(first ? "" : ", ").append(name).append('=');
    first = false;
  }

  /** As {@code AbstractCollection.toString}: {@code [a, b]}. */
  private void list(List<?> list, boolean redact) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      sb.append(i == 0 ? "" : ", ").append(redact && Text.secretValue((String) e) ? redact((String) e) : e);
    }
    sb.append(']');
  }

  /** As {@code AbstractMap.toString}: {@code {k=v, k2=v2}}. */
  private void map(Map<?, ?> map, boolean redact) {
    sb.append('{');
    boolean firstEntry = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object v = e.getValue();
      if (redact && (Text.secretKey((String) e.getKey()) || Text.secretValue((String) v))) {
        v = redact((String) v);
      }
      sb.append(firstEntry ? "" : ", ").append(e.getKey()).append('=').append(v);
      firstEntry = false;
    }
    sb.append('}');
  }

  /**
   * The values this text (parts {@link #open opened} in it included) shows as {@value
   * Text#REDACTED}, in the order it shows them: what a hash of the text must add so that two
   * descriptions differing only in a secret differ.
   */
  public List<String> redacted() {
    return root.redacted == null ? List.of() : Collections.unmodifiableList(root.redacted);
  }

  private Object redact(String value) {
    if (root.redacted == null) {
      root.redacted = new ArrayList<>(2);
    }
    root.redacted.add(value);
    return Text.REDACTED;
  }

  /** The finished text without a copy of it, for a reader such as a hash that needs no string. */
  public CharSequence text() {
    if (!closed) {
      sb.append('}');
      closed = true;
    }
    return sb;
  }

  @Override
  public String toString() {
    // One copy of the text, not two ("sb + '}'" copies the builder, then the concatenation).
    return text().toString();
  }
}
