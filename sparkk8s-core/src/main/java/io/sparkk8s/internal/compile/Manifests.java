package io.sparkk8s.internal.compile;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders model objects as the API server should see them. The client's models start every map
 * and list empty, so a plain dump carries {@code labels: {}}, {@code overhead: {}} and the like;
 * an empty {@code overhead} is not the same as none to the RuntimeClass admission plugin. This
 * drops empty maps and lists, except where an empty object is itself the value
 * ({@code emptyDir: {}}).
 */
public final class Manifests {
  private static final Set<String> EMPTY_MEANS_SOMETHING = Set.of("emptyDir");

  private Manifests() {}

  /** The object as a JSON tree without empty maps and lists. */
  public static JsonObject pruned(Object model) {
    // Straight to a tree (no JSON text in between), with client-java's adapters.
    JsonElement tree = JSON.getGson().toJsonTree(model);
    prune(tree);
    return tree.getAsJsonObject();
  }

  /** Longest YAML text kept for the next equal object. */
  static final int CACHED_YAML_MAX = 8 * 1024;
  /**
   * Weight the cache holds at most, in characters: each entry weighs twice its YAML (the key, a
   * model object, is taken to cost what its text does). About 2 MB of heap.
   */
  static final long CACHE_CHARS_MAX = 1L << 20;

  /**
   * YAML of small objects seen lately, by the objects themselves (client-java's models compare by
   * content): every job's executor pod template is such an object, and a service's jobs share a
   * handful of templates, so SnakeYAML (a quarter of a compile's CPU in issue 23's profile) runs
   * once per distinct template, and the lookup costs a hash of the model, not a JSON text of it
   * (which was 40% of what a compile allocated). Bounded by weight, least recently used out first.
   */
  private static final Cache<Object, String> YAML_CACHE = CacheBuilder.newBuilder()
      .maximumWeight(CACHE_CHARS_MAX)
      .weigher((Object k, String v) -> weight(v))
      .build();

  /** An entry's weight: its YAML twice (the key, a model object, taken to cost what its text does). */
  private static int weight(String yaml) {
    return 2 * yaml.length();
  }

  /** The weight the YAML cache holds now (for its bound's test). */
  static long cachedChars() {
    YAML_CACHE.cleanUp();
    return YAML_CACHE.asMap().values().stream().mapToLong(Manifests::weight).sum();
  }

  /**
   * One object as a YAML document, from the cache when an equal object was rendered lately. The
   * object is kept as the cache's key: the caller must have built it for this call and must not
   * change it afterwards.
   */
  public static String cachedYaml(Object fresh) {
    String cached = YAML_CACHE.getIfPresent(fresh);
    if (cached == null) {
      cached = yaml(List.of(fresh));
      if (cached.length() <= CACHED_YAML_MAX) {
        YAML_CACHE.put(fresh, cached);
      }
    }
    return cached;
  }

  /** The objects as a multi-document YAML stream, keys in model order. */
  public static String yaml(List<?> models) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(0);
    Yaml yaml = new Yaml(options);
    List<Object> docs = new ArrayList<>();
    for (Object m : models) {
      docs.add(toPlain(pruned(m)));
    }
    return yaml.dumpAll(docs.iterator());
  }

  private static void prune(JsonElement e) {
    if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (String key : new ArrayList<>(o.keySet())) {
        JsonElement child = o.get(key);
        prune(child);
        boolean empty = (child.isJsonObject() && child.getAsJsonObject().isEmpty())
            || (child.isJsonArray() && child.getAsJsonArray().isEmpty()) || child.isJsonNull();
        if (empty && !EMPTY_MEANS_SOMETHING.contains(key)) {
          o.remove(key);
        }
      }
    } else if (e.isJsonArray()) {
      for (JsonElement child : e.getAsJsonArray()) {
        prune(child);
      }
    }
  }

  private static Object toPlain(JsonElement e) {
    if (e.isJsonObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      e.getAsJsonObject().entrySet().forEach(en -> m.put(en.getKey(), toPlain(en.getValue())));
      return m;
    }
    if (e.isJsonArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonElement c : (JsonArray) e) {
        l.add(toPlain(c));
      }
      return l;
    }
    if (e.isJsonNull()) {
      return null;
    }
    var p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      return p.getAsNumber().longValue() == p.getAsDouble() ? (Object) p.getAsLong() : p.getAsDouble();
    }
    return p.getAsString();
  }
}
