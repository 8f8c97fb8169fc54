package io.sparkk8s.internal.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.sparkk8s.SparkProgress;
import java.time.Clock;
import java.util.Optional;

/**
 * Reads a running driver's progress from Spark's REST API through the API server's pod proxy
 * ({@code get} on {@code pods/proxy}, as {@link IdleStops} does): its jobs, stages and executors.
 * Each call is three GETs made when the caller asks; nothing polls, so a client with thousands of
 * jobs holds no thread or connection for progress.
 */
final class ProgressReader {
  private final ApiGet get;
  private final Clock clock;

  ProgressReader(ApiGet get, Clock clock) {
    this.get = get;
    this.clock = clock;
  }

  /** The driver's progress, or empty when its REST API does not answer (not running, gone). */
  Optional<SparkProgress> read(String namespace, String driver, String appId) {
    String base = "/api/v1/namespaces/" + namespace + "/pods/" + driver + ":" + PodFacts.UI_PORT
        + "/proxy/api/v1/applications/" + appId;
    try {
      JsonArray jobs = get.json(base + "/jobs").getAsJsonArray();
      JsonArray stages = get.json(base + "/stages").getAsJsonArray();
      JsonArray executors = get.json(base + "/executors").getAsJsonArray();
      return Optional.of(of(jobs, stages, executors, clock.instant()));
    } catch (io.kubernetes.client.openapi.ApiException | RuntimeException e) {
      Log.LOG.debug("Progress of {}/{}: {}", namespace, driver, e.toString());
      return Optional.empty();
    }
  }

  /** Spark's three lists as one progress value. */
  static SparkProgress of(JsonArray jobs, JsonArray stages, JsonArray executors,
      java.time.Instant at) {
    int activeExecutors = 0;
    for (JsonElement e : executors) {
      JsonObject x = e.getAsJsonObject();
      if (!"driver".equals(text(x, "id")) && (!x.has("isActive") || x.get("isActive").getAsBoolean())) {
        activeExecutors++;
      }
    }
    return new SparkProgress(at, count(jobs, "RUNNING"), count(jobs, "SUCCEEDED"),
        count(jobs, "FAILED"), count(stages, "ACTIVE"), count(stages, "COMPLETE"),
        count(stages, "FAILED"), sum(jobs, "numActiveTasks"), sum(jobs, "numCompletedTasks"),
        sum(jobs, "numFailedTasks"), sum(jobs, "numTasks"), activeExecutors,
        sum(stages, "inputBytes"), sum(stages, "shuffleReadBytes"),
        sum(stages, "shuffleWriteBytes"));
  }

  /** How many entries have this {@code status}. */
  private static int count(JsonArray entries, String status) {
    int n = 0;
    for (JsonElement e : entries) {
      n += status.equals(text(e.getAsJsonObject(), "status")) ? 1 : 0;
    }
    return n;
  }

  /** The sum of a number field over the entries (absent counts 0). */
  private static long sum(JsonArray entries, String key) {
    long total = 0;
    for (JsonElement e : entries) {
      total += number(e.getAsJsonObject(), key);
    }
    return total;
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
  }

  private static long number(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsLong() : 0;
  }
}
