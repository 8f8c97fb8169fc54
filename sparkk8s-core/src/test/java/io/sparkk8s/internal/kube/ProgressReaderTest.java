package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.sparkk8s.SparkProgress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Spark's REST API answers (as Spark 4.1 writes them, trimmed) read as one progress value. */
class ProgressReaderTest {

  private static JsonArray json(String text) {
    return JsonParser.parseString(text).getAsJsonArray();
  }

  @Test
  void jobsStagesAndExecutorsAddUp() {
    JsonArray jobs = json("""
        [{"jobId":1,"status":"RUNNING","numTasks":400,"numActiveTasks":2,"numCompletedTasks":150,
          "numFailedTasks":1,"numActiveStages":1,"numCompletedStages":0},
         {"jobId":0,"status":"SUCCEEDED","numTasks":10,"numActiveTasks":0,"numCompletedTasks":10,
          "numFailedTasks":0}]""");
    JsonArray stages = json("""
        [{"status":"ACTIVE","stageId":2,"inputBytes":0,"shuffleReadBytes":2048,"shuffleWriteBytes":0},
         {"status":"COMPLETE","stageId":1,"inputBytes":1000000,"shuffleReadBytes":0,
          "shuffleWriteBytes":4096},
         {"status":"SKIPPED","stageId":0},
         {"status":"FAILED","stageId":3,"inputBytes":5}]""");
    JsonArray executors = json("""
        [{"id":"driver","isActive":true},{"id":"1","isActive":true},{"id":"2","isActive":true},
         {"id":"3","isActive":false}]""");
    Instant at = Instant.parse("2026-12-03T10:00:00Z");
    SparkProgress p = ProgressReader.of(jobs, stages, executors, at);
    assertThat(p).isEqualTo(new SparkProgress(at, 1, 1, 0, 1, 1, 1, 2, 160, 1, 410, 2, 1_000_005,
        2048, 4096));
    assertThat(p.fractionDone()).isEqualTo(160.0 / 410);
    assertThat(p.toString()).contains("tasks 160/410 done (2 running, 1 failed); 2 executors");
  }

  @Test
  void anApplicationWithNoJobYetIsNoneDone() {
    SparkProgress p = ProgressReader.of(json("[]"), json("[]"), json("[{\"id\":\"driver\"}]"),
        Instant.EPOCH);
    assertThat(p.totalTasks()).isZero();
    assertThat(p.fractionDone()).isZero();
    assertThat(p.activeExecutors()).isZero();
  }
}
