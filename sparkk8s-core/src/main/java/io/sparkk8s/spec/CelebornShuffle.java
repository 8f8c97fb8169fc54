package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * Apache Celeborn, a remote shuffle service: masters that agree through Raft on which worker holds
 * what, and workers that take the shuffle data executors push and serve it to reducers. Executors
 * then hold no shuffle data, so dynamic allocation removes them as soon as they are idle and a lost
 * executor loses no shuffle output.
 *
 * <pre>{@code
 * CelebornShuffle celeborn = CelebornShuffle.builder()
 *     .masterReplicas(3).workerReplicas(4)
 *     .workerDiskSize("200Gi").storageClass("fast-ssd")
 *     .build();
 * }</pre>
 *
 * <p>What it becomes in a platform named {@code team}: a StatefulSet {@code team-celeborn-master}
 * ({@link #masterReplicas()} pods, each with a small claim for its Raft log) behind the headless
 * Service {@code team-celeborn-master}, which gives every master a stable name {@code
 * team-celeborn-master-<i>.team-celeborn-master.<namespace>.svc}; a StatefulSet {@code
 * team-celeborn-worker} ({@link #workerReplicas()} pods, each with {@link #workerDisks()} claims of
 * {@link #workerDiskSize()} from {@code volumeClaimTemplates}) behind the headless Service {@code
 * team-celeborn-worker}; and a ConfigMap with {@code celeborn-defaults.conf} (no secrets). Pods run
 * as uid 10006 (the Celeborn image's user) with the {@code restricted} Pod Security settings.
 *
 * <p>The client side ({@link #clientConf(PlatformNames, String)}): the Celeborn shuffle manager,
 * every master's endpoint, no external shuffle service, and on Spark 3.5 or later ({@code
 * SPARK-42689}, {@code CELEBORN-911}) Celeborn's shuffle data IO plugin, which tells Spark the
 * shuffle data is stored reliably so dynamic allocation works without shuffle tracking. Spark 4
 * loads the shuffle manager from user jars ({@code SPARK-45762}), so the client jar comes from
 * {@code spark.jars.packages}; Spark 3 loads it before user jars, so its image must hold the jar
 * ({@link #clientJarInImage()}).
 *
 * <p>No official Celeborn image is published by Apache on Docker Hub for every release; {@link
 * #containerImage()} defaults to {@code apache/celeborn:<version>}: build or mirror one from
 * Celeborn's {@code docker/Dockerfile} (Celeborn home {@code /opt/celeborn}, uid 10006) and name it
 * with {@link #image()}.
 */
@Value.Immutable
public abstract class CelebornShuffle extends ShuffleService {
  /** The Celeborn release used by default, for the image and the client jar. */
  public static final String DEFAULT_VERSION = "0.6.1";
  /** The masters' RPC port ({@code celeborn.master.port}), what clients and workers call. */
  public static final int MASTER_PORT = PlatformNames.CELEBORN_MASTER_PORT;
  /** The masters' HTTP port ({@code celeborn.master.http.port}): metrics and REST API. */
  public static final int MASTER_HTTP_PORT = 9098;
  /** The masters' Raft (Ratis) port. */
  public static final int RATIS_PORT = 9872;
  /** The workers' RPC port, fixed so that the headless Service can name it. */
  public static final int WORKER_RPC_PORT = 9091;
  /** The port workers receive pushed shuffle data on. */
  public static final int WORKER_PUSH_PORT = 9092;
  /** The port workers serve shuffle data from. */
  public static final int WORKER_FETCH_PORT = 9093;
  /** The port workers receive replicas from each other on. */
  public static final int WORKER_REPLICATE_PORT = 9094;
  /** The workers' HTTP port ({@code celeborn.worker.http.port}). */
  public static final int WORKER_HTTP_PORT = 9096;
  /** The uid of the Celeborn image's user. */
  public static final long CELEBORN_UID = 10006;

  /** Server conf keys the SDK sets from typed attributes. */
  static final Set<String> OWNED_KEYS = Set.of("celeborn.master.endpoints",
      "celeborn.master.ha.enabled", "celeborn.master.port", "celeborn.master.http.port",
      "celeborn.master.ha.ratis.raft.server.storage.dir", "celeborn.worker.storage.dirs",
      "celeborn.worker.rpc.port", "celeborn.worker.push.port", "celeborn.worker.fetch.port",
      "celeborn.worker.replicate.port", "celeborn.worker.http.port", "celeborn.master.ha.node.id");

  CelebornShuffle() {}

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** Apache Celeborn with every default: 3 masters (a Raft group), 3 workers, one claim each. */
  public static CelebornShuffle defaults() {
    return builder().build();
  }

  /** Apache Celeborn with {@code masters} masters (an odd number) and {@code workers} workers. */
  public static CelebornShuffle of(int masters, int workers) {
    return builder().masterReplicas(masters).workerReplicas(workers).build();
  }

  /** The builder of {@link CelebornShuffle}. */
  public static final class Builder extends ImmutableCelebornShuffle.Builder {
    Builder() {}
  }

  /** The Celeborn release of the servers and of the client jar. */
  @Value.Default
  public String version() {
    return DEFAULT_VERSION;
  }

  /** The servers' image; {@code apache/celeborn:<version>} by default. */
  public abstract Optional<String> image();

  /** The image actually used. */
  public String containerImage() {
    return image().orElse("apache/celeborn:" + version());
  }

  /** Masters, an odd number so that a Raft majority exists (3 tolerates the loss of one). */
  @Value.Default
  public int masterReplicas() {
    return 3;
  }

  /** Workers; with two or more, each shuffle block is replicated to a second worker. */
  @Value.Default
  public int workerReplicas() {
    return 3;
  }

  /** Claims (disks) per worker, each mounted at {@code /mnt/celeborn/disk<i>}. */
  @Value.Default
  public int workerDisks() {
    return 1;
  }

  /** The size of each worker claim. */
  @Value.Default
  public String workerDiskSize() {
    return "10Gi";
  }

  /** The size of each master's claim, which holds its Raft log. */
  @Value.Default
  public String masterStorageSize() {
    return "1Gi";
  }

  /** The StorageClass of every claim; the cluster's default when absent. */
  public abstract Optional<String> storageClass();

  /** The masters' heap ({@code CELEBORN_MASTER_MEMORY}). */
  @Value.Default
  public String masterMemory() {
    return "1g";
  }

  /** The workers' heap ({@code CELEBORN_WORKER_MEMORY}). */
  @Value.Default
  public String workerMemory() {
    return "1g";
  }

  /** The workers' off-heap memory for buffered shuffle data ({@code CELEBORN_WORKER_OFFHEAP_MEMORY}). */
  @Value.Default
  public String workerOffHeapMemory() {
    return "2g";
  }

  /** The CPU each master requests. */
  @Value.Default
  public String masterCpuRequest() {
    return "250m";
  }

  /** The CPU each worker requests. */
  @Value.Default
  public String workerCpuRequest() {
    return "500m";
  }

  /** The uid the servers run as; the image's {@code celeborn} user by default. */
  @Value.Default
  public long runAsUser() {
    return CELEBORN_UID;
  }

  /**
   * Whether the jobs' Spark image already holds the Celeborn client jar in {@code
   * /opt/spark/jars}; when false the client conf adds it to {@code spark.jars.packages}, which
   * only Spark 4 can use for a shuffle manager.
   */
  @Value.Default
  public boolean clientJarInImage() {
    return false;
  }

  /** Further server conf ({@code celeborn.*}) written to {@code celeborn-defaults.conf}. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> celebornConf();

  /** A copy running {@code image}. */
  public abstract CelebornShuffle withImage(String image);

  /** A copy with another worker count. */
  public abstract CelebornShuffle withWorkerReplicas(int workers);

  /** A copy whose claims come from {@code storageClass}. */
  public abstract CelebornShuffle withStorageClass(String storageClass);

  /** A copy for Spark images that hold the client jar. */
  public abstract CelebornShuffle withClientJarInImage(boolean clientJarInImage);

  @Override
  public Kind kind() {
    return Kind.CELEBORN;
  }

  /**
   * Maven coordinates of the Celeborn client for {@code sparkVersion}: {@code
   * org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:<version>} for Spark 4 (published from
   * Celeborn 0.6.0), {@code celeborn-client-spark-3-shaded_2.12:<version>} for Spark 3 (the
   * official Spark 3 images are Scala 2.12; a {@code _2.13} jar exists for Scala 2.13 builds).
   */
  public String clientPackage(String sparkVersion) {
    int major = majorMinor(sparkVersion)[0];
    return major >= 4
        ? "org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:" + version()
        : "org.apache.celeborn:celeborn-client-spark-3-shaded_2.12:" + version();
  }

  /**
   * Why this service cannot serve {@code sparkVersion}, if it cannot: recorded in {@code c} under
   * {@code attribute}.
   */
  void checkServes(Checks c, String attribute, String sparkVersion) {
    ShuffleService.checkSparkVersion(c, attribute, sparkVersion);
    int[] v = majorMinor(sparkVersion);
    int[] celeborn = majorMinor(version());
    boolean atLeast06 = celeborn[0] > 0 || celeborn[1] >= 6;
    c.require(v[0] >= 3, attribute, sparkVersion,
        "the SDK's Celeborn client conf is for Spark 3 and 4");
    c.require(v[0] <= 4, attribute, sparkVersion,
        "Celeborn " + version() + " has no client for Spark " + v[0]);
    c.require(v[0] < 4 || atLeast06, attribute, sparkVersion,
        "Celeborn publishes a Spark 4 client (celeborn-client-spark-4-shaded_2.13) from 0.6.0;"
            + " version is " + version());
    c.require(v[0] != 3 || clientJarInImage(), attribute, sparkVersion,
        "Spark 3 creates its shuffle manager before it loads user jars (SPARK-45762 changed that"
            + " in 4.0), so spark.jars.packages cannot provide Celeborn's: use a Spark image with "
            + clientPackage(sparkVersion).replace(':', '/') + " in /opt/spark/jars and"
            + " clientJarInImage(true)");
  }

  /**
   * The conf a job of {@code sparkVersion} needs: shuffle manager, master endpoints, no external
   * shuffle service, Kryo (Celeborn relocates serialized records), replication with two workers or
   * more, and from Spark 3.5 the shuffle data IO plugin with shuffle tracking off.
   */
  @Override
  public SortedMap<String, String> clientConf(PlatformNames platform, String sparkVersion) {
    Checks c = Checks.of("CelebornShuffle");
    checkServes(c, "sparkVersion", sparkVersion);
    c.throwIfAny();
    SortedMap<String, String> conf = new TreeMap<>();
    conf.put("spark.shuffle.manager", "org.apache.spark.shuffle.celeborn.SparkShuffleManager");
    conf.put("spark.celeborn.master.endpoints", String.join(",",
        platform.celebornMasterEndpoints(masterReplicas())));
    conf.put("spark.shuffle.service.enabled", "false");
    conf.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.put("spark.celeborn.client.push.replicate.enabled", Boolean.toString(workerReplicas() >= 2));
    // Celeborn's docs: the local shuffle reader of AQE reads executors' local files, which it has not.
    conf.put("spark.sql.adaptive.localShuffleReader.enabled", "false");
    int[] v = majorMinor(sparkVersion);
    if (v[0] > 3 || v[1] >= 5) {
      conf.put("spark.shuffle.sort.io.plugin.class",
          "org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO");
      conf.put("spark.dynamicAllocation.shuffleTracking.enabled", "false");
    }
    if (!clientJarInImage()) {
      conf.put("spark.jars.packages", clientPackage(sparkVersion));
      conf.put("spark.jars.ivy", "/tmp/.ivy2");
    }
    return conf;
  }

  /** The attributes, with secret-looking conf and environment values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return Shown.of("CelebornShuffle").add("version", version()).add("image", image())
        .add("masterReplicas", masterReplicas()).add("workerReplicas", workerReplicas())
        .add("workerDisks", workerDisks()).add("workerDiskSize", workerDiskSize())
        .add("masterStorageSize", masterStorageSize()).add("storageClass", storageClass())
        .add("masterMemory", masterMemory()).add("workerMemory", workerMemory())
        .add("workerOffHeapMemory", workerOffHeapMemory())
        .add("masterCpuRequest", masterCpuRequest()).add("workerCpuRequest", workerCpuRequest())
        .add("runAsUser", runAsUser()).add("clientJarInImage", clientJarInImage())
        .conf("celebornConf", celebornConf())
        .toString();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("CelebornShuffle");
    c.require(version().matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?"), "version", version(),
        "must be a Celeborn release such as " + DEFAULT_VERSION);
    int[] v = majorMinor(version());
    c.require(v[0] > 0 || v[1] >= 3, "version", version(),
        "must be 0.3.0 or later (the shuffle manager class and HA keys the SDK writes)");
    image().ifPresent(i -> c.image("image", i));
    c.require(masterReplicas() >= 1 && masterReplicas() % 2 == 1, "masterReplicas", masterReplicas(),
        "must be an odd number of at least 1 (Raft needs a majority; 3 tolerates losing one)");
    c.require(masterReplicas() <= 9, "masterReplicas", masterReplicas(), "must be at most 9");
    c.require(workerReplicas() >= 1, "workerReplicas", workerReplicas(), "must be at least 1");
    c.require(workerDisks() >= 1 && workerDisks() <= 16, "workerDisks", workerDisks(),
        "must be from 1 to 16");
    c.byteQuantity("workerDiskSize", workerDiskSize());
    c.byteQuantity("masterStorageSize", masterStorageSize());
    storageClass().ifPresent(s -> c.dnsSubdomain("storageClass", s));
    c.sparkMemory("masterMemory", masterMemory());
    c.sparkMemory("workerMemory", workerMemory());
    c.sparkMemory("workerOffHeapMemory", workerOffHeapMemory());
    c.cpuQuantity("masterCpuRequest", masterCpuRequest());
    c.cpuQuantity("workerCpuRequest", workerCpuRequest());
    c.require(runAsUser() > 0, "runAsUser", runAsUser(), "must be a non-root uid (greater than 0)");
    celebornConf().forEach((k, val) -> {
      c.require(k.startsWith("celeborn."), "celebornConf", k, "keys must start with 'celeborn.'");
      c.require(!OWNED_KEYS.contains(k) && !k.startsWith("celeborn.master.ha.node."), "celebornConf",
          k, "is set by the SDK from the typed attributes");
      c.line("celebornConf[" + k + "]", val);
    });
    c.throwIfAny();
  }
}
