package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Python batch job with dependencies, submitted through {@code submit()} on every Spark line
 * the SDK supports (issue 20): its module comes from {@code pyFiles} (a zip the executors import
 * it from), its data from {@code files}, both fetched over HTTP from a server in the namespace.
 * The word count the job prints is computed here from the same data.
 */
@RealCluster
class PythonBatchE2E {
  static List<String> versions() {
    return SparkImages.versions();
  }

  @ParameterizedTest(name = "Spark {0}")
  @MethodSource("versions")
  void aPythonJobImportsItsPyFilesOnTheExecutorsAndReadsItsFiles(String version,
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    byte[] words = DepsServer.resource("pybatch/words.txt");
    String base = DepsServer.start(core, ns, "apache/spark:" + version, Map.of(
        "main.py", DepsServer.resource("pybatch/main.py"),
        "deps.zip", zip(Map.of("wordlib/__init__.py",
            DepsServer.resource("pybatch/wordlib/__init__.py"))),
        "words.txt", words));
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "pybatch")
          .sparkVersion(version)
          .application(Application.python(base + "/main.py").withPyFiles(base + "/deps.zip"))
          .addFiles(base + "/words.txt")
          .build());
      JobState end = job.awaitCompletion(Duration.ofMinutes(6));
      String log = core.readNamespacedPodLog(job.name(), ns.name())
          .container("spark-kubernetes-driver").execute();
      assertThat(end.phase()).as("final state %s; driver log:%n%s", end, log)
          .isEqualTo(JobPhase.SUCCEEDED);
      String line = log.lines().filter(l -> l.startsWith("PYBATCH ")).findFirst()
          .orElseThrow(() -> new AssertionError("no PYBATCH line in the driver log:\n" + log));
      System.out.printf("[E2E] Spark %s Python batch: %s%n", version, line);
      assertThat(line).isEqualTo("PYBATCH spark=" + version + " where=zip counts="
          + expectedCounts(new String(words, StandardCharsets.UTF_8)));
    }
  }

  /** What wordlib.normalise and countByValue make of the words, sorted as the job prints them. */
  static String expectedCounts(String text) {
    Map<String, Long> counts = new TreeMap<>(Arrays.stream(text.split("\\s+"))
        .filter(w -> !w.isEmpty())
        .map(w -> w.replaceAll("^[.,;:!?]+|[.,;:!?]+$", "").toLowerCase(Locale.ROOT))
        .collect(Collectors.groupingBy(w -> w, Collectors.counting())));
    return counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
