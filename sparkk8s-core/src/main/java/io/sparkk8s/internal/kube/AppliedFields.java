package io.sparkk8s.internal.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Whether a server-side apply changed what its field manager owns in an object.
 *
 * <p>Comparing resource versions cannot tell: any writer moves the version, and controllers
 * write right after a deploy (the StatefulSet controller writes its status within milliseconds),
 * so a no-op apply that follows another writer looked like an update. Comparing whole objects has
 * the same flaw (a controller's annotation). What an apply by one manager can change is exactly
 * the fields that manager owns: its {@code managedFields} entries (which the API server rewrites
 * when that manager adds, changes or removes a field) and the values at the paths those entries
 * name. Those two are compared here; nothing another writer owns takes part.
 */
final class AppliedFields {
  /**
   * How deep a field set is followed. Real objects nest about a dozen levels (a container's env
   * source's key); deeper sets are read back from the cluster and may be planted to exhaust the
   * stack, so past this depth the rest is compared as it stands.
   */
  static final int MAX_DEPTH = 64;

  private AppliedFields() {}

  /**
   * Whether {@code after} (the object an apply returned) differs from {@code before} in what
   * {@code manager} applied. An object whose server kept no field ownership is compared whole,
   * status and bookkeeping aside.
   */
  static boolean changed(JsonObject before, JsonObject after, String manager) {
    JsonArray entriesBefore = entries(before, manager);
    JsonArray entriesAfter = entries(after, manager);
    if (entriesBefore.isEmpty() && entriesAfter.isEmpty()) {
      return !same(withoutBookkeeping(before), withoutBookkeeping(after));
    }
    return !same(entriesBefore, entriesAfter)
        || !same(owned(before, entriesBefore), owned(after, entriesAfter));
  }

  /**
   * Whether two trees are equal, compared with a work list rather than recursion: what is read
   * back from the cluster may nest as deep as the API server admits (10,000 levels), deeper than
   * Gson's recursive {@code equals} can go on a thread's stack.
   */
  static boolean same(JsonElement a, JsonElement b) {
    Deque<JsonElement> todo = new ArrayDeque<>();
    todo.push(a == null ? JsonNull.INSTANCE : a);
    todo.push(b == null ? JsonNull.INSTANCE : b);
    while (!todo.isEmpty()) {
      JsonElement y = todo.pop();
      JsonElement x = todo.pop();
      if (x == y) {
        continue;
      }
      if (x.isJsonObject() && y.isJsonObject()) {
        JsonObject ox = x.getAsJsonObject();
        JsonObject oy = y.getAsJsonObject();
        if (ox.size() != oy.size()) {
          return false;
        }
        for (Map.Entry<String, JsonElement> e : ox.entrySet()) {
          JsonElement other = oy.get(e.getKey());
          if (other == null) {
            return false;
          }
          todo.push(e.getValue());
          todo.push(other);
        }
      } else if (x.isJsonArray() && y.isJsonArray()) {
        JsonArray ax = x.getAsJsonArray();
        JsonArray ay = y.getAsJsonArray();
        if (ax.size() != ay.size()) {
          return false;
        }
        for (int i = 0; i < ax.size(); i++) {
          todo.push(ax.get(i));
          todo.push(ay.get(i));
        }
      } else if (x.isJsonObject() || y.isJsonObject() || x.isJsonArray() || y.isJsonArray()
          || !x.equals(y)) {
        return false; // different shapes, or different primitives
      }
    }
    return true;
  }

  /** The {@code Apply} entries of {@code manager} on the object itself (not a subresource). */
  static JsonArray entries(JsonObject object, String manager) {
    JsonArray out = new JsonArray();
    JsonElement managed = object.has("metadata")
        ? object.getAsJsonObject("metadata").get("managedFields") : null;
    if (managed == null || !managed.isJsonArray()) {
      return out;
    }
    for (JsonElement e : managed.getAsJsonArray()) {
      if (e.isJsonObject() && manager.equals(text(e, "manager")) && "Apply".equals(text(e, "operation"))
          && text(e, "subresource") == null) {
        out.add(e);
      }
    }
    return out;
  }

  /** The values at the paths the entries name, one projection per entry. */
  static JsonArray owned(JsonObject object, JsonArray entries) {
    JsonArray out = new JsonArray();
    for (JsonElement e : entries) {
      JsonElement fields = e.getAsJsonObject().get("fieldsV1");
      out.add(fields != null && fields.isJsonObject() ? project(object, fields.getAsJsonObject(), 0)
          : JsonNull.INSTANCE);
    }
    return out;
  }

  /**
   * The part of {@code value} a field set names. Keys follow the API server's field-set
   * encoding: {@code f:name} a field of an object, {@code k:{...}} the list element with those
   * key values, {@code v:value} a value held in a set-like list, {@code i:n} a list index, and
   * {@code .} the node itself (its presence is already in the set).
   */
  private static JsonElement project(JsonElement value, JsonObject set, int depth) {
    if (set.isEmpty() || value == null || value.isJsonNull() || value.isJsonPrimitive()
        || depth >= MAX_DEPTH) {
      return value == null ? JsonNull.INSTANCE : value; // too deep: the whole value, as it stands
    }
    JsonObject out = new JsonObject();
    for (Map.Entry<String, JsonElement> e : set.entrySet()) {
      String key = e.getKey();
      if (key.equals(".") || !e.getValue().isJsonObject()) {
        continue;
      }
      JsonObject sub = e.getValue().getAsJsonObject();
      if (key.startsWith("f:") && value.isJsonObject()) {
        out.add(key, project(value.getAsJsonObject().get(key.substring(2)), sub, depth + 1));
      } else if (key.startsWith("k:") && value.isJsonArray()) {
        out.add(key, project(element(value.getAsJsonArray(), key.substring(2)), sub, depth + 1));
      } else if (key.startsWith("v:") && value.isJsonArray()) {
        out.add(key, new JsonPrimitive(value.getAsJsonArray().contains(parse(key.substring(2)))));
      } else if (key.startsWith("i:") && value.isJsonArray()) {
        out.add(key, project(at(value.getAsJsonArray(), key.substring(2)), sub, depth + 1));
      } else {
        out.add(key, JsonNull.INSTANCE); // the set names a shape the value no longer has
      }
    }
    return out;
  }

  private static JsonElement element(JsonArray list, String keyJson) {
    JsonElement key = parse(keyJson);
    if (!key.isJsonObject()) {
      return null;
    }
    for (JsonElement candidate : list) {
      if (candidate.isJsonObject() && matches(candidate.getAsJsonObject(), key.getAsJsonObject())) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean matches(JsonObject candidate, JsonObject key) {
    for (Map.Entry<String, JsonElement> k : key.entrySet()) {
      if (!k.getValue().equals(candidate.get(k.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static JsonElement at(JsonArray list, String index) {
    try {
      int i = Integer.parseInt(index);
      return i >= 0 && i < list.size() ? list.get(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static JsonElement parse(String json) {
    try {
      return JsonParser.parseString(json);
    } catch (RuntimeException e) {
      return new JsonPrimitive(json); // not JSON: compared as the text it is
    }
  }

  private static String text(JsonElement object, String field) {
    JsonElement v = object.getAsJsonObject().get(field);
    return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
  }

  /** The object without status and per-write metadata; copied one level deep, not recursively. */
  private static JsonObject withoutBookkeeping(JsonObject object) {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, JsonElement> e : object.entrySet()) {
      if (e.getKey().equals("status")) {
        continue;
      }
      if (e.getKey().equals("metadata") && e.getValue().isJsonObject()) {
        JsonObject meta = new JsonObject();
        for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
          if (!m.getKey().equals("managedFields") && !m.getKey().equals("resourceVersion")
              && !m.getKey().equals("generation")) {
            meta.add(m.getKey(), m.getValue());
          }
        }
        json.add("metadata", meta);
      } else {
        json.add(e.getKey(), e.getValue());
      }
    }
    return json;
  }
}
