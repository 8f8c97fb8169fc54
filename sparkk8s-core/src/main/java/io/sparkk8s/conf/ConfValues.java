package io.sparkk8s.conf;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Values read from a Spark conf, with Spark's defaults where the conf has none. */
public final class ConfValues {
  /** Spark's {@code DEFAULT_DRIVER_PORT}: the driver's RPC port on Kubernetes. */
  public static final int DEFAULT_DRIVER_PORT = 7078;
  /** Spark's {@code DEFAULT_BLOCKMANAGER_PORT}. */
  public static final int DEFAULT_BLOCK_MANAGER_PORT = 7079;
  /** Spark's default UI port. */
  public static final int DEFAULT_UI_PORT = 4040;
  /** Spark 4's default Spark Connect port. */
  public static final int DEFAULT_CONNECT_PORT = 15002;

  private ConfValues() {}

  /** The int value of {@code key} in {@code conf} (blanks around it ignored), else {@code fallback}. */
  public static int intConf(Map<String, String> conf, String key, int fallback) {
    return Optional.ofNullable(conf.get(key)).map(String::trim).map(Integer::parseInt).orElse(fallback);
  }

  /**
   * {@code base} with {@code overrides} on top, except {@code spark.jars.packages}, which lists
   * both without repeats.
   */
  public static SortedMap<String, String> merged(Map<String, String> base, Map<String, String> overrides) {
    TreeMap<String, String> out = new TreeMap<>(base);
    overrides.forEach((k, v) -> {
      if (k.equals("spark.jars.packages") && out.containsKey(k)) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (String s : (out.get(k) + "," + v).split(",")) {
          if (!s.isBlank()) {
            all.add(s.trim());
          }
        }
        out.put(k, String.join(",", all));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }
}
