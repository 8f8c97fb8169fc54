package io.sparkk8s.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The project's packages and which import which, with its loops (strongly connected parts). */
final class PackageGraph {
  private final Map<String, Set<String>> edges = new TreeMap<>();
  /** For each package, the classes of other project packages it uses (outer classes). */
  private final Map<String, Set<String>> usedClasses = new TreeMap<>();

  static PackageGraph of(JavaClasses classes) {
    PackageGraph g = new PackageGraph();
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      g.edges.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (to.startsWith("io.sparkk8s") && !to.equals(from)) {
          g.edges.get(from).add(to);
          String target = d.getTargetClass().getName();
          int nested = target.indexOf('$');
          g.usedClasses.computeIfAbsent(from, k -> new TreeSet<>())
              .add(nested < 0 ? target : target.substring(0, nested));
        }
      }
    }
    return g;
  }

  /** The project's packages. */
  Set<String> packages() {
    return edges.keySet();
  }

  /**
   * The uses that go up the given layers (bottom first, a package in no layer is never counted):
   * {@code "<package> -> <class>"} for each class a package uses from a higher layer.
   */
  Set<String> upward(List<Set<String>> layers) {
    Set<String> out = new TreeSet<>();
    usedClasses.forEach((from, targets) -> {
      int fromLayer = layerOf(layers, from);
      for (String target : targets) {
        int toLayer = layerOf(layers, target.substring(0, target.lastIndexOf('.')));
        if (fromLayer >= 0 && toLayer > fromLayer) {
          out.add(from + " -> " + target);
        }
      }
    });
    return out;
  }

  private static int layerOf(List<Set<String>> layers, String pkg) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  /** Every set of two or more packages that reach each other (Tarjan's algorithm). */
  Set<Set<String>> loops() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    Set<Set<String>> out = new HashSet<>();
    int[] next = {0};
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, index, low, stack, onStack, out, next);
      }
    }
    return out;
  }

  private void connect(String v, Map<String, Integer> index, Map<String, Integer> low,
      Deque<String> stack, Set<String> onStack, Set<Set<String>> out, int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]);
    next[0]++;
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, out, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> part = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        part.add(w);
      } while (!w.equals(v));
      if (part.size() > 1) {
        out.add(part);
      }
    }
  }
}
