package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The escaping property of issue 16, over every text attribute of every description: a value
 * built from hostile pieces (every C0 and C1 control, NEL, U+2028, U+2029, BOM, non-characters,
 * lone surrogates, {@code ---}, YAML tags, {@code #}, {@code : }, quotes, 70 KB runs) either
 * fails at {@code build()} with problems that name the attribute and a rule, without echoing a
 * secret-looking value or a raw control character, or compiles to objects that come back
 * exactly from {@code Yaml.loadAll} of the rendered YAML, whose properties text gives back
 * exactly the conf that was set through {@code Properties.load}, and in which no {@code !!binary}
 * appears.
 */
class EscapingPropertyTest {
  private static final int TRIES = 550;
  private static final AtomicInteger CASES = new AtomicInteger();
  /** Appended to values under secret-looking keys: must never reach a message. */
  private static final String MARK = "Zq9Xw7";

  @AfterContainer
  static void printCount() {
    System.out.println("EscapingPropertyTest: " + CASES.get() + " generated cases");
  }

  // ---- generators ---------------------------------------------------------------------------

  static final List<String> PIECES = List.of("---", "...", "!!binary", "!!python/object/apply:os.system",
      "!!str", "#", "# comment", ": ", "key: value", "'", "\"", "''", "\\", "\\n", "{", "[", "- ",
      "|", ">", "&a", "*a", "%TAG", "=", "\\u0085", " ", "  ", "yes", "null", "~", "0x1F", "ü", "🚀",
      "日本");

  static Arbitrary<String> hostileChar() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("\u0085", "\u2028", "\u2029")),
        Tuple.of(3, Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().range('\u007f', '\u009f').map(String::valueOf)),
        Tuple.of(1, Arbitraries.of("\uFEFF", "\uFFFE", "\uFFFF", "\uD800", "\uDFFF", "\r\n")));
  }

  /** Hostile text: pieces, plain runs and hostile characters, now and then 70 KB long. */
  static Arbitrary<String> hostile() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)),
        Tuple.of(4, Arbitraries.of(PIECES)),
        Tuple.of(3, hostileChar()),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)));
    Arbitrary<String> text = piece.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    return Arbitraries.frequencyOf(
        Tuple.of(30, text),
        Tuple.of(1, Combinators.combine(text, Arbitraries.of("x", "é", ": #"))
            .as((t, run) -> t + run.repeat(70_000 / run.length()))));
  }

  /** A conf key: plain, secret-looking, or with hostile text in it. */
  static Arbitrary<String> confKey() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("spark.zz.note", "spark.sql.warehouse.dir", "spark.zz.k")),
        Tuple.of(3, Arbitraries.of("spark.kubernetes.authenticate.submission.oauthToken",
            "spark.hadoop.fs.s3a.secret.key", "spark.zz.password")),
        Tuple.of(1, hostile().map(h -> "spark.zz." + h)));
  }

  @Provide
  Arbitrary<Map.Entry<String, String>> confEntries() {
    return Combinators.combine(confKey(), hostile()).as((k, v) ->
        Map.entry(k, io.sparkk8s.validate.Text.secretKey(k) ? v + MARK : v));
  }

  @Provide
  Arbitrary<String> hostileValues() {
    return hostile();
  }

  // ---- the property, per attribute ----------------------------------------------------------

  enum JobField {
    SPARK_CONF_VALUE, ENV_VALUE, DRIVER_ENV_VALUE, ARGUMENT, ANNOTATION_VALUE, APP_NAME,
    SPARK_USER, PROXY_USER, MOUNT_PATH, VOLUME_OPTION, SUB_PATH, SECRET_MOUNT_PATH, IMAGE, TENANT
  }

  @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
  void sparkConfIsRefusedOrRoundTrips(@ForAll("confEntries") Map.Entry<String, String> e) {
    check("sparkConf", () -> BadInputTest.job().putSparkConf(e.getKey(), e.getValue()).build(),
        job -> roundTripJob(job, Map.of(e.getKey(), e.getValue()), true),
        io.sparkk8s.validate.Text.secretKey(e.getKey()));
  }

  @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
  void everyJobTextAttributeIsRefusedOrRoundTrips(@ForAll JobField field,
      @ForAll("hostileValues") String v) {
    String attribute = switch (field) {
      case SPARK_CONF_VALUE, VOLUME_OPTION -> field == JobField.VOLUME_OPTION ? "options" : "sparkConf";
      case ENV_VALUE, DRIVER_ENV_VALUE -> "env";
      case ARGUMENT -> "arguments";
      case ANNOTATION_VALUE -> "annotations";
      case APP_NAME -> "appName";
      case SPARK_USER -> "sparkUser";
      case PROXY_USER -> "proxyUser";
      case MOUNT_PATH, SECRET_MOUNT_PATH -> "mountPath";
      case SUB_PATH -> "subPath";
      case IMAGE -> "image";
      case TENANT -> "tenant";
    };
    Statistics.label("field").collect(field);
    check(attribute, () -> job(field, v), job -> roundTripJob(job, Map.of(), false), false);
  }

  /** A job with {@code v} in {@code field}; built as user code would, so any part may throw. */
  private static SparkJob job(JobField field, String v) {
    SparkJob.Builder b = BadInputTest.job();
    switch (field) {
      case SPARK_CONF_VALUE -> b.putSparkConf("spark.zz.v", v);
      case ENV_VALUE -> b.putEnv("MODE", v);
      case DRIVER_ENV_VALUE -> b.driver(Driver.builder().putEnv("MODE", v).build());
      case ARGUMENT -> b.addArgument(v);
      case ANNOTATION_VALUE -> b.putAnnotation("example.com/note", v);
      case APP_NAME -> b.appName(v);
      case SPARK_USER -> b.sparkUser(v);
      case PROXY_USER -> b.proxyUser(v);
      case MOUNT_PATH -> b.addVolume(Volume.emptyDir("scratch", "/scratch/" + v));
      case VOLUME_OPTION -> b.addVolume(Volume.builder().name("data")
          .type(Volume.Type.PERSISTENT_VOLUME_CLAIM).mountPath("/data").putOption("claimName", "data")
          .putOption("storageClass", v).build());
      case SUB_PATH -> b.addVolume(Volume.emptyDir("scratch", "/scratch").withSubPath(v));
      case SECRET_MOUNT_PATH -> b.addSecretVolume(SecretVolume.of("creds", "/creds/" + v));
      case IMAGE -> b.image("registry.example.com/spark:" + v);
      case TENANT -> b.tenant(v);
    }
    return b.build();
  }

  enum StorageField { GCS_PREFIX, S3_PREFIX, HDFS_PATH, NFS_PATH, EVENT_LOG_DIRECTORY, GCS_ENDPOINT }

  @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
  void storageTextIsRefusedOrRoundTrips(@ForAll StorageField field, @ForAll("hostileValues") String v) {
    Statistics.label("field").collect(field);
    String attribute = switch (field) {
      case GCS_PREFIX, S3_PREFIX, NFS_PATH -> field == StorageField.NFS_PATH ? "path" : "prefix";
      case HDFS_PATH -> "path";
      case EVENT_LOG_DIRECTORY -> "directory";
      case GCS_ENDPOINT -> "endpoint";
    };
    Supplier<SparkJob> build = () -> {
      StorageBackend backend = switch (field) {
        case GCS_PREFIX -> GcsStorage.of("team-bucket").withPrefix("p/" + v);
        case S3_PREFIX -> S3Storage.of("team-bucket").withPrefix(v);
        case HDFS_PATH -> HdfsStorage.of("hdfs://nn:8020", "/" + v);
        case NFS_PATH -> NfsStorage.claim("shared").withPath(v);
        case EVENT_LOG_DIRECTORY -> NfsStorage.claim("shared");
        case GCS_ENDPOINT -> GcsStorage.of("team-bucket").withEndpoint("https://" + v);
      };
      EventLog log = EventLog.to(backend);
      if (field == StorageField.EVENT_LOG_DIRECTORY) {
        log = log.withDirectory(v);
      }
      return BadInputTest.job().eventLog(log).build();
    };
    check(attribute, build, job -> {
      roundTripJob(job, Map.of(), false);
      assertThat(SparkCompiler.compile(job).sparkProperties())
          .containsEntry("spark.eventLog.dir", job.eventLog().orElseThrow().uri());
    }, false);
  }

  enum PlatformField { NOTEBOOK_CONF, ZEPPELIN_CONF, ZEPPELIN_MEMORY, NOTEBOOK_DIR, NOTEBOOK_IMAGE,
    HISTORY_CONF, HISTORY_MEMORY, HISTORY_UI_CLIENTS, PLATFORM_IMAGE }

  @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
  void platformTextIsRefusedOrRoundTrips(@ForAll PlatformField field,
      @ForAll("confEntries") Map.Entry<String, String> e) {
    Statistics.label("field").collect(field);
    String v = e.getValue();
    EventLog log = EventLog.to(NfsStorage.claim("shared"));
    NotebookEnvironment.Builder nb = NotebookEnvironment.builder().name("lab");
    HistoryServer.Builder hs = HistoryServer.builder();
    SparkPlatform.Builder p = SparkPlatform.builder().name("p").eventLog(log);
    String attribute = switch (field) {
      case NOTEBOOK_CONF -> { nb.putSparkConf(e.getKey(), v); yield "sparkConf"; }
      case ZEPPELIN_CONF -> { nb.kind(NotebookEnvironment.Kind.ZEPPELIN).putSparkConf(e.getKey(), v);
        yield "sparkConf"; }
      case ZEPPELIN_MEMORY -> { nb.kind(NotebookEnvironment.Kind.ZEPPELIN)
          .putSparkConf("spark.executor.memory", "1g" + v); yield "sparkConf"; }
      case NOTEBOOK_DIR -> { nb.notebookDir("/home/" + v); yield "notebookDir"; }
      case NOTEBOOK_IMAGE -> { nb.image("jupyter/lab:" + v); yield "image"; }
      case HISTORY_CONF -> { hs.putSparkConf(e.getKey(), v); yield "sparkConf"; }
      case HISTORY_MEMORY -> { hs.memory("1g" + v); yield "memory"; }
      case HISTORY_UI_CLIENTS -> { hs.putUiClient("app", v); yield "uiClients"; }
      case PLATFORM_IMAGE -> { p.sparkImage("apache/spark:" + v); yield "sparkImage"; }
    };
    boolean conf = field == PlatformField.NOTEBOOK_CONF || field == PlatformField.ZEPPELIN_CONF
        || field == PlatformField.HISTORY_CONF;
    boolean secret = conf && io.sparkk8s.validate.Text.secretKey(e.getKey());
    check(attribute, () -> p.addNotebook(nb.build()).historyServer(hs.build()).build(),
        platform -> roundTripPlatform(platform, conf ? Map.of(e.getKey(), v) : Map.of(), secret),
        secret);
  }

  // ---- the two outcomes ---------------------------------------------------------------------

  private static <T> void check(String attribute, Supplier<T> build,
      java.util.function.Consumer<T> roundTrip, boolean secret) {
    CASES.incrementAndGet();
    T built;
    try {
      built = build.get();
    } catch (InvalidDescriptionException ex) {
      assertThat(ex.problems()).as(ex.getMessage()).isNotEmpty().allSatisfy(pr -> {
        assertThat(pr.rule()).isNotBlank();
        assertThat(pr.attribute()).isNotBlank();
      });
      assertThat(ex.problems()).as(ex.getMessage())
          .anySatisfy(pr -> assertThat(pr.attribute()).contains(attribute));
      String message = ex.getMessage();
      assertThat(io.sparkk8s.validate.Text.refused(message.replace("\n", ""),
          io.sparkk8s.validate.Text.Kind.LINE)).as("raw in %s", message).isNull();
      assertThat(message).hasSizeLessThan(20_000);
      if (secret) {
        assertThat(message).doesNotContain(MARK);
        Statistics.label("secret").collect("rejected, value not shown");
      }
      Statistics.label("outcome").collect("rejected");
      return;
    }
    roundTrip.accept(built);
    Statistics.label("outcome").collect("round-trips");
  }

  /** toYaml read back by client-java's Yaml equals the objects; properties text gives the conf. */
  static void roundTripJob(SparkJob job, Map<String, String> conf, boolean secret) {
    CompiledJob compiled = SparkCompiler.compile(job);
    String yaml = compiled.toYaml();
    assertNoBinary(yaml);
    List<Object> loaded = loadAll(yaml);
    // In kubectl's order: what the driver mounts first, the driver last.
    List<Object> expected = new ArrayList<>(compiled.preResources());
    expected.addAll(compiled.ownedResources());
    expected.add(compiled.driverPod());
    assertThat(json(loaded)).isEqualTo(json(expected));
    V1ConfigMap cm = loaded.stream().filter(V1ConfigMap.class::isInstance).map(V1ConfigMap.class::cast)
        .filter(m -> m.getData().containsKey(JobCompiler.PROPERTIES_KEY)).findFirst().orElseThrow();
    Map<String, String> properties = load(cm.getData().get(JobCompiler.PROPERTIES_KEY));
    assertThat(properties).isEqualTo(compiled.sparkProperties()).containsAllEntriesOf(conf);
    if (secret) {
      assertThat(job.toString()).doesNotContain(MARK);
    }
  }

  static void roundTripPlatform(SparkPlatform platform, Map<String, String> conf, boolean secret) {
    PlatformCompiler.Output out = PlatformCompiler.compile(platform);
    List<KubernetesObject> objects = new ArrayList<>(out.applied());
    objects.addAll(out.createdOnce());
    String yaml = Manifests.yaml(objects);
    assertNoBinary(yaml);
    List<Object> loaded = loadAll(yaml);
    assertThat(json(loaded)).isEqualTo(json(new ArrayList<>(objects)));
    List<Map<String, String>> defaults = loaded.stream().filter(V1ConfigMap.class::isInstance)
        .map(o -> ((V1ConfigMap) o).getData().get("spark-defaults.conf"))
        .filter(java.util.Objects::nonNull).map(EscapingPropertyTest::load).toList();
    assertThat(defaults).hasSize(2).anySatisfy(d -> assertThat(d).containsAllEntriesOf(conf));
    if (secret) {
      assertThat(platform.toString()).doesNotContain(MARK);
    }
  }

  /**
   * No {@code !!binary} node anywhere: read with plain SnakeYAML, no scalar is bytes. Textually,
   * the tag appears only where the input itself said {@code !!binary}, as quoted text.
   */
  private static void assertNoBinary(String yaml) {
    for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(yaml)) {
      assertThat(scalars(doc)).noneMatch(byte[].class::isInstance);
    }
    assertThat(yaml.lines()).noneMatch(l -> l.matches("\\s*(- |[^'\"]*: )?!!binary\\b.*"));
  }

  private static List<Object> scalars(Object node) {
    List<Object> out = new ArrayList<>();
    if (node instanceof Map<?, ?> m) {
      m.values().forEach(v -> out.addAll(scalars(v)));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> out.addAll(scalars(v)));
    } else {
      out.add(node);
    }
    return out;
  }

  private static List<Object> loadAll(String yaml) {
    try {
      return Yaml.loadAll(yaml);
    } catch (IOException ex) {
      throw new AssertionError("the YAML does not read back", ex);
    }
  }

  private static List<String> json(List<Object> objects) {
    return objects.stream().map(o -> Manifests.pruned(o).toString()).toList();
  }

  private static Map<String, String> load(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
    return p.stringPropertyNames().stream().collect(Collectors.toMap(Function.identity(), p::getProperty));
  }
}
