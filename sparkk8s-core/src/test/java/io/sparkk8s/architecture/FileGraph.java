package io.sparkk8s.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The project's source files and which use which, with its loops (strongly connected parts). A
 * file is its top-level type with its nested ones; the type Immutables generates from a file
 * ({@code ImmutableX} for {@code X}) counts as that file.
 */
final class FileGraph {
  private final Map<String, Set<String>> edges = new TreeMap<>();

  static FileGraph of(JavaClasses classes) {
    FileGraph g = new FileGraph();
    for (JavaClass c : classes) {
      String from = fileOf(c);
      g.edges.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = fileOf(d.getTargetClass());
        if (to.startsWith("io.sparkk8s.") && !to.equals(from)) {
          g.edges.get(from).add(to);
        }
      }
    }
    return g;
  }

  /** The source file of {@code c}, as its top-level type's name without the package prefix. */
  static String fileOf(JavaClass c) {
    JavaClass top = c;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    String simple = top.getSimpleName();
    if (simple.startsWith("Immutable") && simple.length() > "Immutable".length()) {
      simple = simple.substring("Immutable".length());
    }
    return top.getPackageName() + "." + simple;
  }

  /** Every set of two or more files that reach each other (Tarjan's algorithm). */
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
