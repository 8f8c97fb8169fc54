package io.sparkk8s.spec;

import io.sparkk8s.internal.validate.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A named release of platform services in one namespace, as an umbrella chart installs them:
 * notebooks and a History Server, deployed, upgraded and torn down together by
 * {@link io.sparkk8s.SparkKubernetes#deploy(SparkPlatform)}.
 *
 * <pre>{@code
 * EventLog logs = EventLog.to(NfsStorage.of("nfs.example.com", "/exports/spark"));
 * SparkPlatform team = SparkPlatform.builder().name("data-team").namespace("data")
 *     .addNotebook(NotebookEnvironment.jupyter("lab").withEventLog(logs))
 *     .historyServer(HistoryServer.reading(logs))
 *     .build();
 * try (SparkKubernetes spark = SparkKubernetes.connect()) {
 *   spark.deploy(team);                                   // create or update, only what changed
 *   PlatformStatus status = spark.awaitReady(team, Duration.ofMinutes(5));
 *   spark.teardown(team);                                 // notebooks' claims are kept
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
    }
    c.throwIfAny();
  }
}
