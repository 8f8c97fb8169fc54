package io.sparkk8s.oracle.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scala collections from Java, in the subset that Scala 2.12 and 2.13 share (the bridge source
 * is compiled against both).
 */
final class Scala {

  private Scala() {}

  /** A {@code scala.collection.immutable.List}: a {@code Seq} in both 2.12 and 2.13. */
  @SuppressWarnings("deprecation")
  static scala.collection.immutable.List<String> list(List<String> values) {
    return scala.collection.JavaConverters.asScalaBuffer(values).toList();
  }

  @SuppressWarnings("unchecked")
  static scala.collection.immutable.Map<String, String> immutableMap(Map<String, String> values) {
    scala.collection.immutable.Map<String, String> map =
        scala.collection.immutable.Map$.MODULE$.empty();
    for (Map.Entry<String, String> e : values.entrySet()) {
      // updated() returns Map in 2.12 and MapOps in 2.13: go through Object to compile for both.
      Object updated = map.updated(e.getKey(), e.getValue());
      map = (scala.collection.immutable.Map<String, String>) updated;
    }
    return map;
  }

  static String[] toArray(scala.collection.Iterable<String> values) {
    List<String> list = new ArrayList<>();
    scala.collection.Iterator<String> it = values.iterator();
    while (it.hasNext()) {
      list.add(it.next());
    }
    return list.toArray(new String[0]);
  }
}
