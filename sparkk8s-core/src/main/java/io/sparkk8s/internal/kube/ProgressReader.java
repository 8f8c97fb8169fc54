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
  private final IdleStops.Get get;
  private final Clock clock;

  ProgressReader(IdleStops.Get get, Clock clock) {
    this.get = get;
    this.clock = clock;
  }

  /** The driver's progress, or empty when its REST API does not answer (not running, gone). */
  Optional<SparkProgress> read(String namespace, String driver, String appId) {
    String base = "/api/v1/namespaces/" + namespace + "/pods/" + driver + ":" + IdleStops.UI_PORT
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
    int activeJobs = 0;
    int completedJobs = 0;
    int failedJobs = 0;
    long activeTasks = 0;
    long completedTasks = 0;
    long failedTasks = 0;
    long totalTasks = 0;
    for (JsonElement e : jobs) {
      JsonObject j = e.getAsJsonObject();
      switch (text(j, "status")) {
        case "RUNNING" -> activeJobs++;
        case "SUCCEEDED" -> completedJobs++;
        case "FAILED" -> failedJobs++;
        default -> { }
      }
      activeTasks += number(j, "numActiveTasks");
      completedTasks += number(j, "numCompletedTasks");
      failedTasks += number(j, "numFailedTasks");
      totalTasks += number(j, "numTasks");
    }
    int activeStages = 0;
    int completedStages = 0;
    int failedStages = 0;
    long input = 0;
    long shuffleRead = 0;
    long shuffleWrite = 0;
    for (JsonElement e : stages) {
      JsonObject s = e.getAsJsonObject();
      switch (text(s, "status")) {
        case "ACTIVE" -> activeStages++;
        case "COMPLETE" -> completedStages++;
        case "FAILED" -> failedStages++;
        default -> { }
      }
      input += number(s, "inputBytes");
      shuffleRead += number(s, "shuffleReadBytes");
      shuffleWrite += number(s, "shuffleWriteBytes");
    }
    int activeExecutors = 0;
    for (JsonElement e : executors) {
      JsonObject x = e.getAsJsonObject();
      if (!"driver".equals(text(x, "id")) && (!x.has("isActive") || x.get("isActive").getAsBoolean())) {
        activeExecutors++;
      }
    }
    return new SparkProgress(at, activeJobs, completedJobs, failedJobs, activeStages,
        completedStages, failedStages, activeTasks, completedTasks, failedTasks, totalTasks,
        activeExecutors, input, shuffleRead, shuffleWrite);
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
  }

  private static long number(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsLong() : 0;
  }
}
