package io.sparkk8s.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The project's packages and which import which, and the uses that go up a list of layers. */
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
}
