package io.sparkk8s.storage.client.oracle;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.sparkk8s.storage.client.servers.StorageServers;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Real Spark, from Maven Central, as child JVMs: local-mode applications that write event logs
 * ({@link LocalSparkApps}) and Spark's own History Server, whose REST API is the oracle the event
 * log reader is compared with.
 */
public final class SparkOracle {
  public static final String SPARK_VERSION = System.getProperty("sparkk8s.sparkVersion", "4.1.1");

  /** Java 17 needs these for Spark (org.apache.spark.launcher.JavaModuleOptions). */
  private static final List<String> JAVA_MODULE_OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  private SparkOracle() {}

  /** One application to run: its name and its own conf. */
  public record App(String name, Map<String, String> conf) {
    String spec() {
      return name + conf.entrySet().stream().map(e -> ";" + e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining());
    }
  }

  /** An application as the History Server's REST API lists it. */
  public record Listed(String id, String name, long startTimeEpoch, long endTimeEpoch,
      boolean completed, long duration, String sparkUser) {}

  /**
   * The classpath of a child: Spark's jars, this module's test classes (for LocalSparkApps), and
   * the connectors Spark's distribution lacks (hadoop-aws and the AWS SDK, from this module's own
   * test classpath: the same jars the SDK's s3a access uses).
   */
  static String classpath(List<Path> extraJars) throws IOException {
    Path file = Paths.get("target", "spark-oracle", "spark-" + SPARK_VERSION + ".classpath");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file.toAbsolutePath() + " is missing: it is written in"
          + " generate-test-resources (run the tests through Maven)");
    }
    List<String> entries = new ArrayList<>();
    entries.add(Files.readString(file, StandardCharsets.UTF_8).strip());
    entries.add(Paths.get("target", "test-classes").toAbsolutePath().toString());
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String n = e.replace('\\', '/');
      if (n.contains("/software/amazon/") || n.contains("/org/reactivestreams/")
          || n.contains("/hadoop-aws-") || n.contains("/org/apache/httpcomponents/")
          || n.contains("/gcs-connector-")) {
        entries.add(e);
      }
    }
    extraJars.forEach(j -> entries.add(j.toString()));
    return String.join(File.pathSeparator, entries);
  }

  /** Runs {@code apps} in one child JVM; returns each app's name to its application id. */
  public static Map<String, String> run(List<App> apps, Map<String, String> env,
      List<Path> extraJars, String logName) throws IOException, InterruptedException {
    List<String> cmd = java(extraJars);
    cmd.add(LocalSparkApps.class.getName());
    apps.forEach(a -> cmd.add(a.spec()));
    Path log = logFile(logName);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("Spark did not finish in 5 minutes; its log: " + log);
    }
    String out = Files.readString(log);
    if (p.exitValue() != 0) {
      throw new AssertionError("Spark exited with " + p.exitValue() + "; its log " + log + ":\n"
          + tail(out));
    }
    Map<String, String> ids = new LinkedHashMap<>();
    out.lines().filter(l -> l.startsWith("APP ")).forEach(l -> {
      String[] f = l.split(" ");
      ids.put(f[1], f[2]);
    });
    return ids;
  }

  /** A child running one application that waits, mid-run, until {@link #finish()}. */
  public static final class RunningApp implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String appId;

    private RunningApp(Process process, Path log, String appId) {
      this.process = process;
      this.log = log;
      this.appId = appId;
    }

    /** The application's id. */
    public String appId() {
      return appId;
    }

    /** Lets the application stop, and waits for its JVM to exit. */
    public void finish() throws IOException, InterruptedException {
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("Spark did not stop cleanly; its log " + log + ":\n"
            + tail(Files.readString(log)));
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        try {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Starts {@code app} (whose name must end in {@code -running}) and waits until its job ran and it
   * waits to be stopped, its event log still in progress.
   */
  public static RunningApp start(App app, Map<String, String> env, String logName)
      throws IOException {
    List<String> cmd = java(List.of());
    cmd.add(LocalSparkApps.class.getName());
    cmd.add(app.spec());
    Path log = logFile(logName);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    AtomicReference<String> id = new AtomicReference<>();
    Awaitility.await(app.name() + " running").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(300)).until(() -> {
          if (!p.isAlive()) {
            throw new AssertionError("Spark exited: " + tail(Files.readString(log)));
          }
          Files.readString(log).lines().filter(l -> l.startsWith("RUNNING ")).findFirst()
              .ifPresent(l -> id.set(l.substring("RUNNING ".length()).trim()));
          return id.get() != null;
        });
    return new RunningApp(p, log, id.get());
  }

  /** A running History Server over {@code logDirectory}. */
  public static final class HistoryServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private HistoryServer(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    /** Starts Spark's History Server with {@code conf} (the backend's and the log directory). */
    public static HistoryServer start(Map<String, String> conf, Map<String, String> env,
        List<Path> extraJars, String logName) throws IOException {
      int port = StorageServers.freePort();
      List<String> cmd = java(extraJars);
      Map<String, String> all = new LinkedHashMap<>(conf);
      all.put("spark.history.ui.port", Integer.toString(port));
      all.put("spark.history.fs.update.interval", "1s");
      // Insert the -D options before the main class (java() ends with the classpath).
      all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
      cmd.add("org.apache.spark.deploy.history.HistoryServer");
      Path log = logFile(logName);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      pb.environment().remove("SPARK_HOME");
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      return new HistoryServer(pb.start(), port, log);
    }

    /** Waits until the REST API lists exactly {@code expectedIds}'s applications, and returns them. */
    public List<Listed> awaitApplications(java.util.Collection<String> expectedIds,
        java.util.function.Predicate<List<Listed>> ready) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      AtomicReference<List<Listed>> last = new AtomicReference<>(List.of());
      try {
        Awaitility.await("History Server listing " + expectedIds).atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
              if (!process.isAlive()) {
                throw new AssertionError("History Server exited: " + tail(Files.readString(log)));
              }
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                  "http://127.0.0.1:" + port + "/api/v1/applications")).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                return false;
              }
              List<Listed> apps = parse(r.body());
              last.set(apps);
              return apps.stream().map(Listed::id).collect(Collectors.toSet())
                  .containsAll(expectedIds) && ready.test(apps);
            });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        String out;
        try {
          out = tail(Files.readString(log));
        } catch (IOException io) {
          out = io.toString();
        }
        throw new AssertionError("the History Server listed " + last.get() + ", not all of "
            + expectedIds + "; its log " + log + ":\n" + out, e);
      }
      return last.get();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static List<Listed> parse(String json) {
    List<Listed> out = new ArrayList<>();
    JsonArray arr = JsonParser.parseString(json).getAsJsonArray();
    for (JsonElement el : arr) {
      JsonObject app = el.getAsJsonObject();
      for (JsonElement at : app.getAsJsonArray("attempts")) {
        JsonObject a = at.getAsJsonObject();
        out.add(new Listed(app.get("id").getAsString(), app.get("name").getAsString(),
            a.get("startTimeEpoch").getAsLong(), a.get("endTimeEpoch").getAsLong(),
            a.get("completed").getAsBoolean(), a.get("duration").getAsLong(),
            a.get("sparkUser").getAsString()));
      }
    }
    return out;
  }

  /** The output of the child run named {@code logName}. */
  public static String log(String logName) throws IOException {
    return Files.readString(logFile(logName));
  }

  /**
   * A jar for Spark to fetch: the Spark oracle's classpath has plenty; this one is small and
   * always there (compress-lzf, a Spark dependency).
   */
  static String appJar() {
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.contains("compress-lzf")) {
        return e;
      }
    }
    throw new IllegalStateException("compress-lzf is not on the test classpath");
  }

  private static List<String> java(List<Path> extraJars) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JAVA_MODULE_OPTIONS);
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(classpath(extraJars));
    return cmd;
  }

  private static Path logFile(String name) throws IOException {
    return Files.createDirectories(Paths.get("target", "spark-oracle-runs"))
        .resolve(name + ".log").toAbsolutePath();
  }

  static String tail(String s) {
    List<String> lines = s.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** Files under a directory, for failure messages. */
  public static String tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Path::toString).collect(Collectors.joining("\n"));
    }
  }
}
