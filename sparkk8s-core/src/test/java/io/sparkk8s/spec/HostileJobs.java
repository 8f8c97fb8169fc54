package io.sparkk8s.spec;

import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of random {@link SparkJob} descriptions covering every attribute, each value
 * either plausible or hostile (from {@link #CORPUS} or any Unicode string). A generated
 * {@link Recipe} holds the raw values, so that building it can fail at any level ({@code
 * Driver.builder().build()}, {@code Application.jvm(...)}, {@code SparkJob.builder().build()})
 * exactly as user code would, and prints every value it was given.
 *
 * <pre>{@code
 * Arbitrary<HostileJobs.Recipe> jobs = HostileJobs.recipes(HostileJobs.Cluster.of("fuzz-ns"));
 * SparkJob job = jobs.sample().build();   // throws InvalidDescriptionException, or a valid job
 * }</pre>
 */
public final class HostileJobs {
  private HostileJobs() {}

  /**
   * Hand-picked hostile values: YAML specials, shell and properties metacharacters, control
   * characters, Unicode edge cases, numbers that overflow, names at and past Kubernetes' limits.
   */
  public static final List<String> CORPUS = List.of(
      "", " ", "yes", "no", "on", "off", "y", "~", "null", "Null", "*a", "&a", "!!str", "{}", "[]",
      "{a: b}", "- x", "? x", ": x", "#x", "%x", "@x", "`x`", "|", ">", "---", "...", "<<",
      "0", "-1", "007", "0x1F", "1e9", ".inf", "NaN", "2147483648", "9223372036854775808", "1.5",
      "\"quoted\"", "it's", "a\"b'c", "new\nline", "cr\rlf", "tab\tx", "nul\0x", "\0", "back\\slash",
      "\\n", "\\u0000", "${HOME}", "$(id)", "`id`", "; rm -rf /", "--conf", "-Dx=y", "a=b", "a:b",
      "a,b", "a b", "a/b", "/", "//", "../..", "/tmp/../etc", "C:\\x", "ünïcødé", "日本語", "🚀",
      "\u202Eevil", "\u2028", "\uFEFF", "\uD800", "e\u0301", "\u0085", "\u007F",
      "a".repeat(47), "a".repeat(56), "a".repeat(57), "a".repeat(63), "a".repeat(64),
      "a".repeat(253), "a".repeat(254), "x".repeat(70_000),
      "UPPER", "Mixed-Case", "-lead", "trail-", "dots.in.it", "under_score", "spark-role",
      "spark-app-selector", "kubernetes.io/x", "example.com/x", "a/b/c", "spark-conf-volume-driver",
      "pod-template-volume", "spark-local-dir-1", "OnDemand", "data-SPARK_EXECUTOR_ID",
      "{{APP_ID}}", "/opt/spark/conf", "/opt/spark/conf/", "/opt/spark/pod-template", "/var/data",
      "/proc", "/dev/shm", "Memory", "Never", "Always",
      "IfNotPresent");

  /** What the generated jobs may refer to in the cluster they are dry-run against. */
  public record Cluster(String namespace, List<String> serviceAccounts, List<String> priorityClasses) {
    /** Jobs for namespace {@code ns} whose ServiceAccounts and PriorityClasses are not set. */
    public static Cluster of(String ns) {
      return new Cluster(ns, List.of(), List.of());
    }
  }

  // ---- values -------------------------------------------------------------------------------

  static Arbitrary<String> corpus() {
    return Arbitraries.of(CORPUS);
  }

  /** Plausible text mixed with hostile text: about 49 in 50 plausible. */
  static Arbitrary<String> mix(Arbitrary<String> plausible) {
    return Arbitraries.frequencyOf(
        Tuple.of(200, plausible),
        Tuple.of(2, corpus()),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
        Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(12)));
  }

  static Arbitrary<String> chars(String chars, int min, int max) {
    return Arbitraries.strings().withChars(chars).ofMinLength(min).ofMaxLength(max);
  }

  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String DIGITS = "0123456789";

  static Arbitrary<String> dnsLabel() {
    return Arbitraries.frequencyOf(
        Tuple.of(40, Combinators.combine(chars(LOWER, 1, 1), chars(LOWER + DIGITS + "-", 0, 14),
            chars(LOWER + DIGITS, 0, 1)).as((a, b, c) -> a + b + c)),
        Tuple.of(1, chars(LOWER + DIGITS + "-", 1, 70)));
  }

  static Arbitrary<String> labelKey() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, chars(LOWER + "ABCDEFGH" + DIGITS, 1, 1).flatMap(
            a -> chars(LOWER + DIGITS + "-_.", 0, 12).map(b -> "x" + a + b + "z"))),
        Tuple.of(2, dnsLabel().map(l -> "example.com/" + l)),
        Tuple.of(1, Arbitraries.of("team", "app", "tier", "app.kubernetes.io/name")));
  }

  static Arbitrary<String> labelValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, chars(LOWER + "ABC" + DIGITS, 1, 1).flatMap(
            a -> chars(LOWER + DIGITS + "-_.", 0, 20).map(b -> a + b + "0"))),
        Tuple.of(1, Arbitraries.just("")));
  }

  static Arbitrary<String> envName() {
    return Combinators.combine(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 1),
        chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789", 0, 12)).as((a, b) -> a + b);
  }

  static Arbitrary<String> path() {
    return chars(LOWER + DIGITS + "/._-", 1, 20).map(p -> "/" + p);
  }

  static Arbitrary<String> text() {
    return mix(Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30)
        .filter(t -> !t.isBlank()));
  }

  static Arbitrary<String> uri(String extension) {
    return Arbitraries.frequencyOf(
        Tuple.of(100, Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("local://", "gs://bucket", "s3a://b", "https://h.example",
                    "hdfs://nn:8020")),
                Tuple.of(1, Arbitraries.of("file://", "", "ftpx://h", "local:/"))),
            chars(LOWER + DIGITS + "/._-", 1, 20)).as((s, p) -> s + "/" + p + extension)),
        Tuple.of(1, corpus()));
  }

  static Arbitrary<String> cpu() {
    return mix(Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.of("100m", "250m", "1", "2", "0.5", "1500m", "64", "0.001")),
        Tuple.of(1, Arbitraries.of("0", "-1", "1e3", "1.5.5", "m"))));
  }

  static Arbitrary<String> memory() {
    return mix(Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.of("512m", "1g", "4g", "384m", "1024", "2048k", "1t", "512M", "1gb")),
        Tuple.of(1, Arbitraries.of("0m", "100", "9999999999p", "1 g", "1024p", "1025p"))));
  }

  static <T> Arbitrary<List<T>> lists(Arbitrary<T> element, int max) {
    return element.list().ofMaxSize(max);
  }

  static Arbitrary<Map<String, String>> maps(Arbitrary<String> keys, Arbitrary<String> values, int max) {
    return Arbitraries.maps(keys, values).ofMaxSize(max);
  }

  /** Conf keys the compiler or Spark interpret, and free ones. */
  static Arbitrary<String> confKey() {
    Arbitrary<String> interpreted = Arbitraries.of(
        "spark.driver.port", "spark.driver.blockManager.port", "spark.blockManager.port",
        "spark.ui.port", "spark.connect.grpc.binding.port", "spark.driver.memory",
        "spark.executor.memory", "spark.driver.memoryOverhead", "spark.driver.minMemoryOverhead",
        "spark.kubernetes.memoryOverheadFactor", "spark.driver.memoryOverheadFactor",
        "spark.driver.cores", "spark.kubernetes.driver.request.cores",
        "spark.kubernetes.driver.limit.cores", "spark.kubernetes.container.image.pullPolicy",
        "spark.kubernetes.container.image.pullSecrets", "spark.kubernetes.driver.scheduler.name",
        "spark.kubernetes.scheduler.name", "spark.kubernetes.driver.service.ipFamilyPolicy",
        "spark.kubernetes.driver.service.ipFamilies", "spark.local.dir",
        "spark.kubernetes.local.dirs.tmpfs", "spark.driver.resource.gpu.amount",
        "spark.driver.resource.gpu.vendor", "spark.pyspark.python", "spark.pyspark.driver.python",
        "spark.kubernetes.authenticate.driver.serviceAccountName",
        "spark.kubernetes.legacy.useReadWriteOnceAccessMode", "spark.executor.instances",
        "spark.app.name", "spark.kubernetes.namespace", "spark.driver.host",
        "spark.driver.extraJavaOptions", "spark.sql.shuffle.partitions");
    Arbitrary<String> prefixed = Combinators.combine(Arbitraries.of(
        "spark.kubernetes.driver.label.", "spark.kubernetes.executor.label.",
        "spark.kubernetes.driver.annotation.", "spark.kubernetes.driver.service.annotation.",
        "spark.kubernetes.driver.service.label.", "spark.kubernetes.node.selector.",
        "spark.kubernetes.driver.node.selector.", "spark.kubernetes.driverEnv.", "spark.executorEnv.",
        "spark.kubernetes.driver.secrets.", "spark.kubernetes.driver.secretKeyRef.",
        "spark.kubernetes.driver.volumes.emptyDir.", "spark.kubernetes.driver.volumes.hostPath."),
        mix(labelKey())).as((p, k) -> p + k);
    return Arbitraries.frequencyOf(
        Tuple.of(4, interpreted),
        Tuple.of(4, prefixed),
        Tuple.of(3, freeKey()),
        Tuple.of(1, chars(LOWER + ".", 1, 20).map(s -> "spark.x." + s)),
        Tuple.of(1, text()));
  }

  /** A well-formed key that names no setting Spark or the SDK interprets, as in spark.x.team.mode. */
  static Arbitrary<String> freeKey() {
    return chars(LOWER, 1, 10).list().ofMinSize(1).ofMaxSize(3).map(l -> "spark.x." + String.join(".", l));
  }

  static Arbitrary<String> confValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("7078", "4040", "0", "65536", "1", "512m", "1g", "0.2", "true",
            "IfNotPresent", "SingleStack", "IPv4", "/tmp/a,/tmp/b", "/tmp/x", "nvidia.com", "2",
            "x.example.com", "secret:key", "value", "spark", "default-scheduler")),
        Tuple.of(2, labelValue()),
        Tuple.of(1, path()),
        Tuple.of(2, text()));
  }

  /** Entries that are valid, to keep most descriptions buildable. */
  static Arbitrary<Map.Entry<String, String>> goodConf() {
    return Arbitraries.of(
        Map.entry("spark.ui.port", "4041"), Map.entry("spark.driver.port", "7000"),
        Map.entry("spark.blockManager.port", "7100"), Map.entry("spark.driver.memory", "2g"),
        Map.entry("spark.kubernetes.memoryOverheadFactor", "0.2"),
        Map.entry("spark.local.dir", "/tmp/a,/tmp/b"), Map.entry("spark.kubernetes.local.dirs.tmpfs", "true"),
        Map.entry("spark.driver.resource.gpu.amount", "1"),
        Map.entry("spark.kubernetes.driver.label.team", "data"),
        Map.entry("spark.kubernetes.driver.annotation.note", "it's \"quoted\" and: {yes} # no comment"),
        Map.entry("spark.kubernetes.driverEnv.MODE", "yes"), Map.entry("spark.executorEnv.X", "~"),
        Map.entry("spark.kubernetes.driver.service.ipFamilyPolicy", "SingleStack"),
        Map.entry("spark.kubernetes.driver.scheduler.name", "default-scheduler"),
        Map.entry("spark.pyspark.python", "python3"), Map.entry("spark.sql.shuffle.partitions", "*a"),
        Map.entry("spark.driver.extraJavaOptions", "-Dx=\"a b\" -Dy=$HOME"));
  }

  static Arbitrary<Map<String, String>> sparkConf() {
    // Now and then a huge map, near and past the 1 MiB a ConfigMap may hold.
    Arbitrary<Map<String, String>> huge = Arbitraries.integers().between(500, 6_000).map(n -> {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put("spark.fuzz.k" + i, "v".repeat(i % 400));
      }
      return m;
    });
    return Arbitraries.frequencyOf(
        Tuple.of(25, Arbitraries.frequencyOf(
                Tuple.of(8, goodConf()),
                Tuple.of(4, Combinators.combine(freeKey(), text())
                    .as(Map::entry)),
                Tuple.of(1, Combinators.combine(confKey(), confValue()).as(Map::entry)))
            .list().ofMaxSize(6).map(l -> {
              Map<String, String> m = new LinkedHashMap<>();
              l.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            })),
        Tuple.of(1, huge));
  }

  // ---- the recipe ---------------------------------------------------------------------------

  /** Raw values for one description; {@link #build()} makes it as user code would. */
  public static final class Recipe {
    final Map<String, Object> set = new LinkedHashMap<>();

    Recipe put(String attribute, Object value) {
      set.put(attribute, value);
      return this;
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> get(String attribute) {
      return Optional.ofNullable((T) set.get(attribute));
    }

    /**
     * Builds the description.
     *
     * @throws io.sparkk8s.exception.InvalidDescriptionException when a value breaks a rule
     */
    @SuppressWarnings("unchecked")
    public SparkJob build() {
      SparkJob.Builder b = SparkJob.builder();
      get("name").ifPresent(v -> b.name((String) v));
      get("namespace").ifPresent(v -> b.namespace((String) v));
      get("appName").ifPresent(v -> b.appName((String) v));
      get("appId").ifPresent(v -> b.appId((String) v));
      get("sparkVersion").ifPresent(v -> b.sparkVersion((String) v));
      get("image").ifPresent(v -> b.image((String) v));
      List<Object> app = (List<Object>) set.get("application");
      Application a = (Boolean) app.get(0)
          ? Application.jvm((String) app.get(1), (String) app.get(2))
          : Application.python((String) app.get(2));
      List<String> pyFiles = (List<String>) app.get(3);
      if (!pyFiles.isEmpty()) {
        a = a.withPyFiles(pyFiles);
      }
      b.application(a);
      get("arguments").ifPresent(v -> b.addAllArguments((List<String>) v));
      get("jars").ifPresent(v -> b.addAllJars((List<String>) v));
      get("files").ifPresent(v -> b.addAllFiles((List<String>) v));
      get("sparkConf").ifPresent(v -> b.putAllSparkConf((Map<String, String>) v));
      get("driver").ifPresent(v -> b.driver(driver((Map<String, Object>) v)));
      get("executor").ifPresent(v -> b.executor(executor((Map<String, Object>) v)));
      get("dynamicAllocation").ifPresent(v -> b.dynamicAllocation(dynamic((List<Object>) v)));
      get("serviceAccount").ifPresent(v -> b.serviceAccount((String) v));
      get("executorServiceAccount").ifPresent(v -> b.executorServiceAccount((String) v));
      get("labels").ifPresent(v -> b.putAllLabels((Map<String, String>) v));
      get("annotations").ifPresent(v -> b.putAllAnnotations((Map<String, String>) v));
      get("nodeSelector").ifPresent(v -> b.putAllNodeSelector((Map<String, String>) v));
      get("tolerations").ifPresent(v -> ((List<List<Object>>) v).forEach(t -> b.addTolerations(
          toleration(t))));
      get("env").ifPresent(v -> b.putAllEnv((Map<String, String>) v));
      get("secretEnv").ifPresent(v -> ((List<List<Object>>) v).forEach(e -> b.addSecretEnv(
          SecretEnv.of((String) e.get(0), (String) e.get(1), (String) e.get(2))
              .withMountOn((MountOn) e.get(3)))));
      get("secretVolumes").ifPresent(v -> ((List<List<Object>>) v).forEach(s -> b.addSecretVolumes(
          SecretVolume.of((String) s.get(0), (String) s.get(1)).withMountOn((MountOn) s.get(2)))));
      get("volumes").ifPresent(v -> ((List<List<Object>>) v).forEach(vol -> b.addVolumes(
          volume(vol))));
      get("imagePullPolicy").ifPresent(v -> b.imagePullPolicy((ImagePullPolicy) v));
      get("imagePullSecrets").ifPresent(v -> b.addAllImagePullSecrets((List<String>) v));
      get("priorityClassName").ifPresent(v -> b.priorityClassName((String) v));
      get("proxyUser").ifPresent(v -> b.proxyUser((String) v));
      get("sparkUser").ifPresent(v -> b.sparkUser((String) v));
      get("restrictedSecurityContext").ifPresent(v -> b.restrictedSecurityContext((Boolean) v));
      get("runAsUser").ifPresent(v -> b.runAsUser((Long) v));
      get("startTimeout").ifPresent(v -> b.startTimeout((Duration) v));
      get("gangScheduling").ifPresent(v -> b.gangScheduling(gang((List<Object>) v)));
      return b.build();
    }

    /** Whether the recipe turns the restricted security context off. */
    public boolean unrestricted() {
      return Boolean.FALSE.equals(set.get("restrictedSecurityContext"));
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Recipe{");
      set.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(show(v)));
      return sb.append("\n}").toString();
    }

    private static String show(Object v) {
      String s = String.valueOf(v);
      StringBuilder out = new StringBuilder();
      s.codePoints().limit(600).forEach(cp -> {
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
          out.append(String.format("\\u%04x", cp));
        } else {
          out.appendCodePoint(cp);
        }
      });
      return s.length() > 600 ? out + "...(" + s.length() + " chars)" : out.toString();
    }
  }

  @SuppressWarnings("unchecked")
  private static Driver driver(Map<String, Object> m) {
    Driver.Builder b = Driver.builder();
    Optional.ofNullable((Integer) m.get("cores")).ifPresent(b::cores);
    Optional.ofNullable((String) m.get("coreRequest")).ifPresent(b::coreRequest);
    Optional.ofNullable((String) m.get("coreLimit")).ifPresent(b::coreLimit);
    Optional.ofNullable((String) m.get("memory")).ifPresent(b::memory);
    Optional.ofNullable((String) m.get("memoryOverhead")).ifPresent(b::memoryOverhead);
    b.putAllLabels((Map<String, String>) m.get("labels"));
    b.putAllAnnotations((Map<String, String>) m.get("annotations"));
    b.putAllEnv((Map<String, String>) m.get("env"));
    b.putAllNodeSelector((Map<String, String>) m.get("nodeSelector"));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static Executor executor(Map<String, Object> m) {
    Executor.Builder b = Executor.builder();
    Optional.ofNullable((Integer) m.get("instances")).ifPresent(b::instances);
    Optional.ofNullable((Integer) m.get("cores")).ifPresent(b::cores);
    Optional.ofNullable((String) m.get("coreRequest")).ifPresent(b::coreRequest);
    Optional.ofNullable((String) m.get("coreLimit")).ifPresent(b::coreLimit);
    Optional.ofNullable((String) m.get("memory")).ifPresent(b::memory);
    Optional.ofNullable((String) m.get("memoryOverhead")).ifPresent(b::memoryOverhead);
    b.putAllLabels((Map<String, String>) m.get("labels"));
    b.putAllAnnotations((Map<String, String>) m.get("annotations"));
    b.putAllEnv((Map<String, String>) m.get("env"));
    b.putAllNodeSelector((Map<String, String>) m.get("nodeSelector"));
    return b.build();
  }

  private static GangScheduling gang(List<Object> g) {
    GangScheduling.Builder b = GangScheduling.builder().scheduler((GangScheduling.Scheduler) g.get(0));
    Optional.ofNullable((String) g.get(1)).ifPresent(b::queue);
    Optional.ofNullable((Integer) g.get(2)).ifPresent(b::minExecutors);
    Optional.ofNullable((Duration) g.get(3)).ifPresent(b::placeholderTimeout);
    Optional.ofNullable((GangScheduling.Style) g.get(4)).ifPresent(b::style);
    return b.build();
  }

  private static DynamicAllocation dynamic(List<Object> d) {
    DynamicAllocation.Builder b = DynamicAllocation.builder();
    Optional.ofNullable((Integer) d.get(0)).ifPresent(b::minExecutors);
    Optional.ofNullable((Integer) d.get(1)).ifPresent(b::initialExecutors);
    Optional.ofNullable((Integer) d.get(2)).ifPresent(b::maxExecutors);
    b.shuffleTracking((Boolean) d.get(3));
    Optional.ofNullable((String) d.get(4)).ifPresent(b::executorIdleTimeout);
    return b.build();
  }

  private static Toleration toleration(List<Object> t) {
    Toleration.Builder b = Toleration.builder();
    Optional.ofNullable((String) t.get(0)).ifPresent(b::key);
    b.operator((String) t.get(1));
    Optional.ofNullable((String) t.get(2)).ifPresent(b::value);
    Optional.ofNullable((String) t.get(3)).ifPresent(b::effect);
    Optional.ofNullable((Long) t.get(4)).ifPresent(b::tolerationSeconds);
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static Volume volume(List<Object> v) {
    Volume.Builder b = Volume.builder().name((String) v.get(0)).type((Volume.Type) v.get(1))
        .mountPath((String) v.get(2)).readOnly((Boolean) v.get(3)).mountOn((MountOn) v.get(5))
        .putAllOptions((Map<String, String>) v.get(6));
    Optional.ofNullable((String) v.get(4)).ifPresent(b::subPath);
    return b.build();
  }

  // ---- arbitraries of the parts --------------------------------------------------------------

  /** A list of values where any may be null (an unset optional attribute). */
  private static Arbitrary<List<Object>> tuple(Arbitrary<?>... parts) {
    Arbitrary<List<Object>> out = Arbitraries.just(List.of());
    for (Arbitrary<?> p : parts) {
      out = out.flatMap(l -> p.map(x -> {
        List<Object> n = new ArrayList<>(l);
        n.add(x);
        return n;
      }));
    }
    return out;
  }

  private static <T> Arbitrary<T> sometimes(Arbitrary<T> a, double probability) {
    return a.injectNull(1 - probability);
  }

  private static Arbitrary<Map<String, Object>> role(boolean executor) {
    Map<String, Arbitrary<?>> parts = new LinkedHashMap<>();
    parts.put("instances", executor ? sometimes(Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.integers().between(1, 5)),
        Tuple.of(1, Arbitraries.integers().between(-1, 0))), 0.4) : Arbitraries.just(null));
    parts.put("cores", sometimes(Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.integers().between(1, 4)), Tuple.of(1, Arbitraries.integers().between(-1, 0)),
        Tuple.of(1, Arbitraries.just(Integer.MAX_VALUE))), 0.2));
    parts.put("coreRequest", sometimes(cpu(), 0.5));
    parts.put("coreLimit", sometimes(cpu(), 0.2));
    parts.put("memory", sometimes(memory(), 0.5));
    parts.put("memoryOverhead", sometimes(memory(), 0.2));
    parts.put("labels", maps(mix(labelKey()), mix(labelValue()), 2));
    parts.put("annotations", maps(mix(labelKey()), text(), 2));
    parts.put("env", maps(mix(envName()), text(), 2));
    parts.put("nodeSelector", maps(mix(labelKey()), mix(labelValue()), 1));
    Arbitrary<Map<String, Object>> out = Arbitraries.just(Map.of());
    for (var e : parts.entrySet()) {
      out = out.flatMap(m -> e.getValue().map(v -> {
        Map<String, Object> n = new LinkedHashMap<>(m);
        if (v != null) {
          n.put(e.getKey(), v);
        }
        return n;
      }));
    }
    return out.map(m -> {
      Map<String, Object> n = new LinkedHashMap<>(m);
      for (String k : List.of("labels", "annotations", "env", "nodeSelector")) {
        n.putIfAbsent(k, Map.of());
      }
      return n;
    });
  }

  private static Arbitrary<MountOn> mountOn() {
    return Arbitraries.of(MountOn.class);
  }

  private static Arbitrary<List<Object>> volumeParts() {
    Arbitrary<Map<String, String>> hostile = maps(
        Arbitraries.of("path", "type", "server", "claimName", "medium", "sizeLimit", "storageClass", "readOnly"),
        mix(Arbitraries.of("/export", "/data", "nfs.example.com", "OnDemand", "data",
            "data-SPARK_EXECUTOR_ID", "Memory", "1Gi", "standard", "Directory", "")), 4);
    return Arbitraries.of(Volume.Type.class).flatMap(type -> {
      Arbitrary<Map<String, String>> plausible = switch (type) {
        case HOST_PATH -> Arbitraries.of(Map.of("path", "/data"), Map.of("path", "/data", "type", "Directory"));
        case NFS -> Arbitraries.of(Map.of("server", "nfs.example.com", "path", "/export"));
        case EMPTY_DIR -> Arbitraries.of(Map.of(), Map.of("medium", "Memory"), Map.of("sizeLimit", "1Gi"));
        case PERSISTENT_VOLUME_CLAIM -> Arbitraries.of(Map.of("claimName", "data"),
            Map.of("claimName", "OnDemand", "storageClass", "standard", "sizeLimit", "10Gi"),
            Map.of("claimName", "data-SPARK_EXECUTOR_ID"));
      };
      return tuple(mix(dnsLabel()), Arbitraries.just(type), mix(path()),
          Arbitraries.of(true, false), sometimes(mix(chars(LOWER + "/.", 1, 10)), 0.2), mountOn(),
          Arbitraries.frequencyOf(Tuple.of(12, plausible), Tuple.of(1, hostile)));
    });
  }


  /**
   * Random descriptions for {@code cluster}: every attribute is set with some probability, to a
   * plausible or a hostile value.
   */
  public static Arbitrary<Recipe> recipes(Cluster cluster) {
    Arbitrary<String> ns = Arbitraries.frequencyOf(
        Tuple.of(80, Arbitraries.just(cluster.namespace())),
        Tuple.of(1, corpus().filter(s -> !s.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"))));
    Arbitrary<String> sa = cluster.serviceAccounts().isEmpty()
        ? mix(dnsLabel())
        : Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(cluster.serviceAccounts())),
            Tuple.of(1, corpus().filter(s -> !s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"))));
    Arbitrary<String> priority = cluster.priorityClasses().isEmpty()
        ? mix(dnsLabel())
        : Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(cluster.priorityClasses())),
            Tuple.of(1, corpus().filter(s -> !s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"))));
    Arbitrary<List<Object>> application = Arbitraries.of(true, false).flatMap(jvm -> tuple(
        Arbitraries.just(jvm),
        mix(Arbitraries.of("org.apache.spark.examples.SparkPi", "Main", "a.b.C$D", "ünï.Cødé")),
        jvm ? mix(uri(".jar")) : mix(uri(".py")),
        jvm ? Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just(List.of())), Tuple.of(1, lists(uri(".zip"), 2)))
            : lists(uri(".zip"), 2)));

    return Builders.withBuilder(Recipe::new)
        .use(mix(dnsLabel())).in((r, v) -> r.put("name", v))
        .use(ns).in((r, v) -> r.put("namespace", v))
        .use(text()).withProbability(0.3).in((r, v) -> r.put("appName", v))
        .use(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.create(SparkJob::newAppId)), Tuple.of(1, text())))
            .withProbability(0.15).in((r, v) -> r.put("appId", v))
        .use(mix(Arbitraries.of("4.1.1", "3.5.6", "4.0.0-preview1", "10.0.0", "99999999999.0.0", "4.1.1-SNAPSHOT"))).withProbability(0.2)
            .in((r, v) -> r.put("sparkVersion", v))
        .use(mix(Arbitraries.of("apache/spark:4.1.1", "registry.example.com:5000/team/spark@sha256:"
            + "a".repeat(64), "spark"))).withProbability(0.3).in((r, v) -> r.put("image", v))
        .use(application).in((r, v) -> r.put("application", v))
        .use(lists(text(), 6)).withProbability(0.6).in((r, v) -> r.put("arguments", v))
        .use(lists(uri(".jar"), 2)).withProbability(0.2).in((r, v) -> r.put("jars", v))
        .use(lists(uri(".txt"), 2)).withProbability(0.2).in((r, v) -> r.put("files", v))
        .use(sparkConf()).withProbability(0.6).in((r, v) -> r.put("sparkConf", v))
        .use(role(false)).withProbability(0.6).in((r, v) -> r.put("driver", v))
        .use(role(true)).withProbability(0.6).in((r, v) -> r.put("executor", v))
        .use(tuple(sometimes(Arbitraries.integers().between(-1, 5), 0.5),
            sometimes(Arbitraries.integers().between(-1, 8), 0.3),
            sometimes(Arbitraries.integers().between(-1, 20), 0.6), Arbitraries.of(true, false),
            sometimes(mix(Arbitraries.of("60s", "5min", "1h", "100ms")), 0.3)))
            .withProbability(0.2).in((r, v) -> r.put("dynamicAllocation", v))
        .use(sa).withProbability(0.7).in((r, v) -> r.put("serviceAccount", v))
        // Executor pods name their account in the template, so it must exist like the driver's.
        .use(sa).withProbability(0.2).in((r, v) -> r.put("executorServiceAccount", v))
        .use(maps(mix(labelKey()), mix(labelValue()), 3)).withProbability(0.4).in((r, v) -> r.put("labels", v))
        .use(maps(mix(labelKey()), text(), 3)).withProbability(0.4).in((r, v) -> r.put("annotations", v))
        .use(maps(mix(labelKey()), mix(labelValue()), 2)).withProbability(0.2).in((r, v) -> r.put("nodeSelector", v))
        .use(lists(tuple(sometimes(mix(labelKey()), 0.9), mix(Arbitraries.of("Equal", "Exists")),
            sometimes(mix(labelValue()), 0.6),
            sometimes(mix(Arbitraries.of("NoSchedule", "PreferNoSchedule", "NoExecute")), 0.6),
            sometimes(Arbitraries.longs().between(-10, 3600), 0.05)), 2))
            .withProbability(0.3).in((r, v) -> r.put("tolerations", v))
        .use(maps(mix(envName()), text(), 4)).withProbability(0.4).in((r, v) -> r.put("env", v))
        .use(lists(tuple(mix(envName()), mix(dnsLabel()), mix(chars(LOWER + DIGITS + "._-", 1, 12)),
            mountOn()), 2)).withProbability(0.3).in((r, v) -> r.put("secretEnv", v))
        .use(lists(tuple(mix(dnsLabel()), mix(path()), mountOn()), 2)).withProbability(0.3)
            .in((r, v) -> r.put("secretVolumes", v))
        .use(lists(volumeParts(), 3)).withProbability(0.4).in((r, v) -> r.put("volumes", v))
        .use(Arbitraries.of(ImagePullPolicy.class)).withProbability(0.3).in((r, v) -> r.put("imagePullPolicy", v))
        .use(lists(mix(dnsLabel()), 2)).withProbability(0.2).in((r, v) -> r.put("imagePullSecrets", v))
        .use(priority).withProbability(0.15).in((r, v) -> r.put("priorityClassName", v))
        .use(mix(Arbitraries.of("alice", "hdfs", "svc-etl"))).withProbability(0.1).in((r, v) -> r.put("proxyUser", v))
        .use(mix(Arbitraries.of("spark", "root", "alice"))).withProbability(0.3).in((r, v) -> r.put("sparkUser", v))
        .use(Arbitraries.of(true, false)).withProbability(0.15).in((r, v) -> r.put("restrictedSecurityContext", v))
        .use(Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.longs().between(-1, 70_000)),
            Tuple.of(1, Arbitraries.of(2147483647L, 2147483648L, Long.MAX_VALUE))))
            .withProbability(0.1).in((r, v) -> r.put("runAsUser", v))
        .use(Arbitraries.longs().between(-5, 600).map(Duration::ofSeconds)).withProbability(0.1)
            .in((r, v) -> r.put("startTimeout", v))
        .use(tuple(Arbitraries.of(GangScheduling.Scheduler.class),
            sometimes(mix(Arbitraries.of("root.spark", "default", "batch", "root.team-a.etl_1")), 0.5),
            sometimes(Arbitraries.integers().between(-1, 6), 0.4),
            sometimes(Arbitraries.longs().between(-1, 3600).map(Duration::ofSeconds), 0.2),
            sometimes(Arbitraries.of(GangScheduling.Style.class), 0.2)))
            .withProbability(0.15).in((r, v) -> r.put("gangScheduling", v))
        .build();
  }
}
