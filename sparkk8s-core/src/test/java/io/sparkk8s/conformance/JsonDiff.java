package io.sparkk8s.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field-by-field differences between two Kubernetes objects as JSON trees. Lists whose elements
 * carry a {@code name} (containers, env, ports, volumes, volumeMounts) are compared by name, since
 * their order has no meaning to Kubernetes; every other list is compared in order (args). Empty
 * strings, maps and lists count as absent, as the API server treats them.
 */
final class JsonDiff {
  private JsonDiff() {}

  static List<String> diff(JsonElement ours, JsonElement spark) {
    List<String> out = new ArrayList<>();
    diff("", normalize(ours), normalize(spark), out);
    return out;
  }

  static JsonElement normalize(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonObject()) {
      JsonObject o = new JsonObject();
      for (var en : e.getAsJsonObject().entrySet()) {
        JsonElement v = normalize(en.getValue());
        if (v != null || en.getKey().equals("emptyDir")) {
          o.add(en.getKey(), v == null ? new JsonObject() : v);
        }
      }
      return o.isEmpty() ? null : o;
    }
    if (e.isJsonArray()) {
      JsonArray a = new JsonArray();
      for (JsonElement c : e.getAsJsonArray()) {
        JsonElement v = normalize(c);
        if (v != null) {
          a.add(v);
        }
      }
      return a.isEmpty() ? null : a;
    }
    if (e.getAsJsonPrimitive().isString() && e.getAsString().isEmpty()) {
      return null;
    }
    return e;
  }

  private static void diff(String path, JsonElement a, JsonElement b, List<String> out) {
    if (a == null && b == null) {
      return;
    }
    if (a == null || b == null) {
      out.add(path + ": ours=" + a + " spark=" + b);
      return;
    }
    if (a.isJsonObject() && b.isJsonObject()) {
      Set<String> keys = new TreeSet<>(a.getAsJsonObject().keySet());
      keys.addAll(b.getAsJsonObject().keySet());
      for (String k : keys) {
        diff(path + "." + k, a.getAsJsonObject().get(k), b.getAsJsonObject().get(k), out);
      }
      return;
    }
    if (a.isJsonArray() && b.isJsonArray() && named(a.getAsJsonArray()) && named(b.getAsJsonArray())) {
      Map<String, JsonElement> ma = byName(a.getAsJsonArray());
      Map<String, JsonElement> mb = byName(b.getAsJsonArray());
      Set<String> names = new TreeSet<>(ma.keySet());
      names.addAll(mb.keySet());
      for (String n : names) {
        diff(path + "[" + n + "]", ma.get(n), mb.get(n), out);
      }
      return;
    }
    if (a.isJsonArray() && b.isJsonArray()) {
      JsonArray x = a.getAsJsonArray();
      JsonArray y = b.getAsJsonArray();
      for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
        diff(path + "[" + i + "]", i < x.size() ? x.get(i) : null, i < y.size() ? y.get(i) : null, out);
      }
      return;
    }
    if (!equalPrimitive(a, b)) {
      out.add(path + ": ours=" + a + " spark=" + b);
    }
  }

  private static boolean equalPrimitive(JsonElement a, JsonElement b) {
    if (a.isJsonPrimitive() && b.isJsonPrimitive()) {
      // Quantities and ports may be numbers on one side and strings on the other.
      return a.getAsString().equals(b.getAsString());
    }
    return a.equals(b);
  }

  private static boolean named(JsonArray a) {
    for (JsonElement e : a) {
      if (!e.isJsonObject() || !e.getAsJsonObject().has("name")) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, JsonElement> byName(JsonArray a) {
    Map<String, JsonElement> m = new LinkedHashMap<>();
    for (JsonElement e : a) {
      m.put(e.getAsJsonObject().get("name").getAsString(), e);
    }
    return m;
  }
}
