package io.sparkk8s.spec;

import io.sparkk8s.internal.compile.ShuffleCompiler;
import io.sparkk8s.internal.validate.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * A named release of platform services in one namespace, as an umbrella chart installs them:
 * notebooks, a History Server and a {@link ShuffleService}, deployed, upgraded and torn down
 * together by
 * {@link io.sparkk8s.SparkKubernetes#deploy(SparkPlatform)}.
 *
 * <pre>{@code
 * EventLog logs = EventLog.to(NfsStorage.of("nfs.example.com", "/exports/spark"));
 * SparkPlatform team = SparkPlatform.builder().name("data-team").namespace("data")
 *     .addNotebook(NotebookEnvironment.jupyter("lab").withEventLog(logs))
 *     .historyServer(HistoryServer.reading(logs))
 *     .shuffleService(ShuffleService.celeborn())           // notebooks get the client conf
 *     .build();
 * try (SparkKubernetes spark = SparkKubernetes.connect()) {
 *   spark.deploy(team);                                   // create or update, only what changed
 *   PlatformStatus status = spark.awaitReady(team, Duration.ofMinutes(5));
 *   spark.teardown(team);                                 // claims are kept
 * }
 * }</pre>
 *
 * <p>Every object carries {@code app.kubernetes.io/instance=<name>}, {@code
 * app.kubernetes.io/part-of=sparkk8s-platform}, {@code app.kubernetes.io/managed-by=sparkk8s},
 * {@code app.kubernetes.io/name} and {@code app.kubernetes.io/component}.
 */
@Value.Immutable
public abstract class SparkPlatform {
  SparkPlatform() {}

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link SparkPlatform}. */
  public static final class Builder extends ImmutableSparkPlatform.Builder {
    Builder() {}
  }

  /** The release name. */
  public abstract String name();

  /** The namespace everything lives in. */
  @Value.Default
  public String namespace() {
    return "default";
  }

  /** The notebook servers. */
  public abstract List<NotebookEnvironment> notebooks();

  /** The History Server, if any. */
  public abstract Optional<HistoryServer> historyServer();

  /**
   * The shuffle service, if any: shuffle tracking, Apache Celeborn or a hostPath DaemonSet (see
   * {@link ShuffleService} for which to choose). Its objects are deployed and torn down with the
   * release, and the platform's notebooks get its {@link #shuffleConf(String) client conf}.
   */
  public abstract Optional<ShuffleService> shuffleService();

  /** A copy with another shuffle service. */
  public abstract SparkPlatform withShuffleService(ShuffleService shuffleService);

  /**
   * The Spark conf a job or notebook of {@code sparkVersion} needs to use this platform's shuffle
   * service; empty without one.
   *
   * @throws io.sparkk8s.InvalidDescriptionException when the service cannot serve that version
   */
  public SortedMap<String, String> shuffleConf(String sparkVersion) {
    return shuffleService().map(s -> s.clientConf(this, sparkVersion))
        .orElseGet(TreeMap::new);
  }

  /**
   * {@code job} with this platform's {@link #shuffleConf(String) shuffle conf} for its Spark
   * version added to its {@code sparkConf}; keys the job sets itself keep its values, and {@code
   * spark.jars.packages} lists both. The job itself when there is no shuffle service.
   *
   * @throws io.sparkk8s.InvalidDescriptionException when the service cannot serve the job's Spark
   *     version
   */
  public SparkJob applyShuffleService(SparkJob job) {
    if (shuffleService().isEmpty()) {
      return job;
    }
    return job.withSparkConf(ShuffleCompiler.merged(shuffleConf(job.sparkVersion()), job.sparkConf()));
  }

  /** A copy with other notebooks. */
  public abstract SparkPlatform withNotebooks(Iterable<? extends NotebookEnvironment> notebooks);

  /** A copy with another History Server. */
  public abstract SparkPlatform withHistoryServer(HistoryServer historyServer);

  @Value.Check
  void check() {
    Checks c = Checks.of("SparkPlatform");
    c.dnsLabel("name", name(), 30);
    c.require(name().isEmpty() || Character.isLetter(name().charAt(0)), "name", name(),
        "must start with a letter (it begins Service names)");
    c.dnsLabel("namespace", namespace(), Checks.DNS1123_LABEL_MAX);
    Set<String> names = new HashSet<>();
    for (NotebookEnvironment n : notebooks()) {
      c.require(names.add(n.name()), "notebooks", n.name(), "notebook names must be unique");
      c.require(!n.name().equals("history"), "notebooks", n.name(),
          "is the History Server's name in a platform");
      shuffleService().ifPresent(s -> c.require(!ShuffleCompiler.componentNames(s).contains(n.name()),
          "notebooks", n.name(), "is the name of a shuffle service component in this platform"));
      if (shuffleService().orElse(null) instanceof CelebornShuffle celeborn) {
        celeborn.checkServes(c, "notebooks[" + n.name() + "].sparkVersion", n.sparkVersion());
      }
    }
    c.throwIfAny();
  }
}
