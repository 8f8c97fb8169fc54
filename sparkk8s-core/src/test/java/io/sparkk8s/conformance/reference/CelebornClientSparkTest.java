package io.sparkk8s.conformance.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.SparkPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Celeborn client conf the SDK writes, read by real Spark 3.5.6 with the real Celeborn client
 * jar (0.5.4, the one Maven Central here serves) on its classpath, as in an image that holds it:
 * Spark loads Celeborn's shuffle manager, and with the shuffle data IO plugin (SPARK-42689) its
 * driver components report reliable storage, which is what lets dynamic allocation run without
 * shuffle tracking; without the plugin they do not. Spark runs in a child JVM (Java's source
 * launcher), as Spark needs {@code --add-opens} and its own classpath.
 *
 * <p>Beyond the Spark classpath of the build, it needs four jars, {@value #NEEDED}, which the build
 * copies to {@code target/celeborn-probe} (the {@code celeborn-probe-jars} execution of this
 * module's pom).
 */
class CelebornClientSparkTest {
  static final String SPARK = "3.5.6";
  static final String NEEDED = "org.apache.celeborn:celeborn-client-spark-3-shaded_2.12:0.5.4,"
      + " org.apache.spark:spark-sql_2.12:3.5.6, org.apache.spark:spark-catalyst_2.12:3.5.6,"
      + " org.apache.spark:spark-sql-api_2.12:3.5.6";
  static final List<String> ADD_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect",
      "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
      "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
      "sun.security.action", "sun.util.calendar");

  @Test
  void sparkLoadsCelebornsShuffleManagerAndItsReliableStorageFromTheSdksConf() throws Exception {
    SparkPlatform platform = SparkPlatform.builder().name("team").namespace("data")
        .shuffleService(CelebornShuffle.builder().version("0.5.4").clientJarInImage(true).build())
        .build();
    TreeMap<String, String> conf = new TreeMap<>(platform.shuffleConf(SPARK));
    assertThat(conf).containsKey("spark.shuffle.sort.io.plugin.class");

    Map<String, String> with = probe(conf);
    assertThat(with).containsEntry("shuffleManager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager")
        .containsEntry("reliableStorage", "true");

    conf.remove("spark.shuffle.sort.io.plugin.class");
    assertThat(probe(conf)).as("the control: Spark's local-disk shuffle IO")
        .containsEntry("reliableStorage", "false");
  }

  private static Map<String, String> probe(Map<String, String> conf) throws Exception {
    List<Path> classpath = new ArrayList<>(OracleLayout.locate().classpath(SPARK));
    Path jars = Paths.get("target", "celeborn-probe");
    for (String coordinates : NEEDED.split(",\\s*")) {
      String[] gav = coordinates.split(":");
      Path jar = jars.resolve(gav[1] + "-" + gav[2] + ".jar");
      assertThat(jar).as("copied by the build (execution celeborn-probe-jars)").isRegularFile();
      classpath.add(jar.toAbsolutePath());
    }
    Path source = Files.createTempDirectory("celeborn-probe").resolve("CelebornProbe.java");
    try (InputStream in = CelebornClientSparkTest.class.getResourceAsStream("CelebornProbe.java")) {
      Files.write(source, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    ADD_OPENS.forEach(p -> command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add(source.toString());
    conf.forEach((k, v) -> command.add(k + "=" + v));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("the Spark probe did not finish:\n" + output);
    }
    Map<String, String> result = new TreeMap<>();
    output.lines().filter(l -> l.startsWith("PROBE ")).forEach(l -> {
      String kv = l.substring("PROBE ".length());
      result.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    });
    assertThat(result).as("the probe's output:\n%s", output).isNotEmpty();
    return result;
  }
}
