package io.sparkk8s.spec;

import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.validate.Checks;
import java.util.ArrayList;
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
 *     .shuffleService(CelebornShuffle.defaults())           // notebooks get the client conf
 *     .build();
 * try (SparkKubernetes spark = SparkKubernetes.connect()) {
 *   spark.deploy(team);                                   // create or update, only what changed
 *   PlatformStatus status = spark.awaitReady(team, Duration.ofMinutes(5));
 *   spark.teardown(team);                                 // claims are kept
 * }
 * }</pre>
 *
 * <p>Shared defaults: a notebook or History Server that leaves its Spark version, Spark image,
 * event log or storage unset takes the platform's ({@link #resolved()} shows the result); a value
 * set on the component wins. {@link #serviceAccount()} adds a driver account for the jobs users
 * submit into the namespace.
 *
 * <pre>{@code
 * SparkPlatform team = SparkPlatform.builder().name("data-team").namespace("data")
 *     .sparkVersion("3.5.6").eventLog(logs)                 // for everything below
 *     .addNotebook(NotebookEnvironment.jupyter("lab"))
 *     .addNotebook(NotebookEnvironment.zeppelin("zep"))
 *     .historyServer(HistoryServer.readingPlatformEventLog())
 *     .build();
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
   * The Spark version of the notebooks and the History Server that name none (their own default
   * otherwise: {@value SparkJob#DEFAULT_SPARK_VERSION}, or {@value
   * NotebookEnvironment#ZEPPELIN_SPARK_VERSION} for Zeppelin).
   */
  public abstract Optional<String> sparkVersion();

  /**
   * The Spark image of the notebooks' executors (and Zeppelin's in-pod Spark) and of the History
   * Server, for those that name none; {@code apache/spark:<sparkVersion>} otherwise. Not the
   * notebook servers' own images (Jupyter's and Zeppelin's are other images).
   */
  public abstract Optional<String> sparkImage();

  /** The event log of the notebooks and the History Server that have none. */
  public abstract Optional<EventLog> eventLog();

  /** The storage of the notebooks whose own {@link NotebookEnvironment#storage()} is empty. */
  public abstract List<StorageBackend> storage();

  /**
   * A ServiceAccount of this name, with the namespaced Role a Spark driver needs (as {@link
   * io.sparkk8s.SparkKubernetes#ensureDriverServiceAccount}), deployed and torn down with the
   * release: for the {@link SparkJob}s users submit into the namespace ({@code
   * .serviceAccount(name)}). Notebooks keep an account each, so the API server's audit log tells
   * them apart.
   */
  public abstract Optional<String> serviceAccount();

  /**
   * The shuffle service, if any: shuffle tracking, Apache Celeborn or a hostPath DaemonSet (see
   * {@link ShuffleService} for which to choose). Its objects are deployed and torn down with the
   * release, and the platform's notebooks get its {@link #shuffleConf(String) client conf}.
   */
  public abstract Optional<ShuffleService> shuffleService();

  /** A copy with another shuffle service. */
  public abstract SparkPlatform withShuffleService(ShuffleService shuffleService);

  /**
   * Whether the release carries NetworkPolicies (on by default) that let only what Spark needs
   * reach the Spark ports of its pods: a notebook's in-pod driver (RPC, block manager, UI) is
   * reached only by its own executors, the executors' block managers only by their notebook and
   * each other, and the History Server's UI only from the pods named by
   * {@link HistoryServer#uiClients()} (or from anywhere when it is exposed without a login on
   * purpose). A notebook's own HTTP port stays open to every client: its login guards it. Ingress
   * only: what the pods connect to is not restricted. Policies take effect where the cluster's
   * network plugin enforces them; {@code kubectl port-forward} always works.
   */
  @Value.Default
  public boolean networkPolicies() {
    return true;
  }

  /** A copy with NetworkPolicies on or off. */
  public abstract SparkPlatform withNetworkPolicies(boolean networkPolicies);

  /** The names and labels of this platform's components, which jobs and notebooks are pointed at. */
  public PlatformNames names() {
    return new PlatformNames(name(), namespace());
  }

  /**
   * The Spark conf a job or notebook of {@code sparkVersion} needs to use this platform's shuffle
   * service; empty without one.
   *
   * @throws io.sparkk8s.exception.InvalidDescriptionException when the service cannot serve that version
   */
  public SortedMap<String, String> shuffleConf(String sparkVersion) {
    return shuffleService().map(s -> s.clientConf(names(), sparkVersion))
        .orElseGet(TreeMap::new);
  }

  /**
   * {@code job} with this platform's {@link #shuffleConf(String) shuffle conf} for its Spark
   * version added to its {@code sparkConf}; keys the job sets itself keep its values, and {@code
   * spark.jars.packages} lists both. The job itself when there is no shuffle service.
   *
   * @throws io.sparkk8s.exception.InvalidDescriptionException when the service cannot serve the job's Spark
   *     version
   */
  public SparkJob applyShuffleService(SparkJob job) {
    if (shuffleService().isEmpty()) {
      return job;
    }
    return job.withSparkConf(ConfValues.merged(shuffleConf(job.sparkVersion()), job.sparkConf()));
  }

  /** A copy with other notebooks. */
  public abstract SparkPlatform withNotebooks(Iterable<? extends NotebookEnvironment> notebooks);

  /** A copy with another History Server. */
  public abstract SparkPlatform withHistoryServer(HistoryServer historyServer);

  /**
   * A copy whose notebooks and History Server carry the platform's defaults explicitly: what is
   * compiled and deployed.
   */
  public SparkPlatform resolved() {
    List<NotebookEnvironment> nbs = new ArrayList<>();
    for (NotebookEnvironment nb : notebooks()) {
      nbs.add(resolve(nb));
    }
    SparkPlatform p = withNotebooks(nbs);
    return historyServer().isPresent() ? p.withHistoryServer(resolve(historyServer().get())) : p;
  }

  private NotebookEnvironment resolve(NotebookEnvironment nb) {
    NotebookEnvironment.Builder b = NotebookEnvironment.builder().from(nb);
    if (nb.sparkVersion().isEmpty()) {
      sparkVersion().ifPresent(b::sparkVersion);
    }
    if (nb.executorImage().isEmpty()) {
      sparkImage().ifPresent(b::executorImage);
    }
    if (nb.eventLog().isEmpty()) {
      eventLog().ifPresent(b::eventLog);
    }
    if (nb.storage().isEmpty()) {
      b.addAllStorage(storage());
    }
    return b.build();
  }

  private HistoryServer resolve(HistoryServer h) {
    HistoryServer.Builder b = HistoryServer.builder().from(h);
    if (h.sparkVersion().isEmpty()) {
      sparkVersion().ifPresent(b::sparkVersion);
    }
    if (h.image().isEmpty()) {
      sparkImage().ifPresent(b::image);
    }
    if (h.eventLog().isEmpty()) {
      eventLog().ifPresent(b::eventLog);
    }
    return b.build();
  }

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
      shuffleService().ifPresent(s -> c.require(!s.componentNames().contains(n.name()),
          "notebooks", n.name(), "is the name of a shuffle service component in this platform"));
      if (shuffleService().orElse(null) instanceof CelebornShuffle celeborn) {
        // The version the notebook runs once the platform's defaults apply (see resolved()).
        celeborn.checkServes(c, "notebooks[" + n.name() + "].sparkVersion",
            n.sparkVersion().or(this::sparkVersion).orElseGet(n::effectiveSparkVersion));
      }
    }
    sparkVersion().ifPresent(v -> c.require(v.matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?"),
        "sparkVersion", v, "must be a Spark version such as 4.1.1"));
    sparkImage().ifPresent(i -> c.image("sparkImage", i));
    serviceAccount().ifPresent(sa -> {
      c.dnsSubdomain("serviceAccount", sa);
      for (NotebookEnvironment n : notebooks()) {
        c.require(!sa.equals(name() + "-" + n.name() + "-spark"), "serviceAccount", sa,
            "is the account of notebook '" + n.name() + "'");
      }
    });
    if (!c.hasProblems()) {
      // The defaults must make valid components too, e.g. a platform's Spark 4 for a Zeppelin
      // notebook, or an object-store event log for a History Server image without its connector.
      for (NotebookEnvironment n : notebooks()) {
        try {
          resolve(n);
        } catch (InvalidDescriptionException e) {
          e.problems().forEach(pr -> c.fail("notebooks[" + n.name() + "]." + pr.attribute(),
              pr.value(), pr.rule() + " (with the platform's defaults)"));
        }
      }
      historyServer().ifPresent(h -> {
        try {
          c.require(resolve(h).eventLog().isPresent(), "historyServer.eventLog", null,
              "is required: set one on the History Server or the platform's eventLog");
        } catch (InvalidDescriptionException e) {
          e.problems().forEach(pr -> c.fail("historyServer." + pr.attribute(), pr.value(),
              pr.rule() + " (with the platform's defaults)"));
        }
      });
    }
    c.throwIfAny();
  }
}
