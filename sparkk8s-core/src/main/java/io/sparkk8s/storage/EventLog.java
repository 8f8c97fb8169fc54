package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * Spark event logging to a directory of a {@link StorageBackend}, where a History Server (or
 * sparkk8s' event log reader) finds every application that ran.
 *
 * <pre>{@code
 * EventLog log = EventLog.to(S3Storage.of("team-logs").withCredentialsSecret("s3-creds"))
 *     .withRolling("128m")          // long-running jobs: bounded files, compactable
 *     .withCompressionCodec("zstd");
 * SparkJob job = SparkJob.builder()...eventLog(log).build();
 * }</pre>
 *
 * <p>Spark requires the directory to exist before a job starts; create it once (for example with
 * the storage client's checks) when the backend is new.
 */
@Value.Immutable
public abstract class EventLog {
  /** The directory used when none is given, relative to the backend's root. */
  public static final String DEFAULT_DIRECTORY = "spark-events";
  private static final Set<String> CODECS = Set.of("lz4", "lzf", "snappy", "zstd", "none");

  EventLog() {}

  /** Event logs in {@code spark-events} under {@code backend}'s root. */
  public static EventLog to(StorageBackend backend) {
    return ImmutableEventLog.builder().backend(backend).build();
  }

  /** The backend holding the logs. */
  public abstract StorageBackend backend();

  /** The directory relative to the backend's root. */
  @Value.Default
  public String directory() {
    return DEFAULT_DIRECTORY;
  }

  /**
   * Rolling event logs with files of at most this size ({@code spark.eventLog.rolling.*}), such as
   * {@code 128m}. Unset, Spark's default applies: rolling with 128m files since Spark 4.0 (a
   * directory {@code eventlog_v2_<appId>} per application), one file per application before.
   */
  public abstract Optional<String> rollingMaxFileSize();

  /**
   * The compression codec of the logs ({@code lz4}, {@code lzf}, {@code snappy}, {@code zstd}), or
   * {@code none} for plain JSON lines. Unset, Spark's default applies: compressed with zstd since
   * Spark 4.0, plain before.
   */
  public abstract Optional<String> compressionCodec();

  /** A copy writing to {@code directory}, relative to the backend's root. */
  public abstract EventLog withDirectory(String directory);

  /** A copy writing rolling logs whose files hold at most {@code maxFileSize}. */
  public abstract EventLog withRollingMaxFileSize(String maxFileSize);

  /** The same as {@link #withRollingMaxFileSize(String)}. */
  public EventLog withRolling(String maxFileSize) {
    return withRollingMaxFileSize(maxFileSize);
  }

  /** A copy compressing logs with {@code codec}. */
  public abstract EventLog withCompressionCodec(String codec);

  /** The log directory as Hadoop names it, such as {@code s3a://bucket/spark-events}. */
  public String uri() {
    return backend().resolve(directory());
  }

  /** The {@code spark.eventLog.*} conf a job needs (the backend's own conf aside). */
  public SortedMap<String, String> sparkConf() {
    SortedMap<String, String> conf = new TreeMap<>();
    conf.put("spark.eventLog.enabled", "true");
    conf.put("spark.eventLog.dir", uri());
    rollingMaxFileSize().ifPresent(size -> {
      conf.put("spark.eventLog.rolling.enabled", "true");
      conf.put("spark.eventLog.rolling.maxFileSize", size);
    });
    compressionCodec().ifPresent(codec -> {
      if (codec.equals("none")) {
        conf.put("spark.eventLog.compress", "false");
      } else {
        conf.put("spark.eventLog.compress", "true");
        conf.put("spark.eventLog.compression.codec", codec);
      }
    });
    return conf;
  }

  /** The conf a History Server needs to read these logs, the backend's conf included. */
  public SortedMap<String, String> historyServerConf(String sparkVersion) {
    SortedMap<String, String> conf = new TreeMap<>(backend().sparkConf(sparkVersion));
    conf.put("spark.history.fs.logDirectory", uri());
    return conf;
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("EventLog");
    StorageChecks.relativePath(c, "directory", directory());
    rollingMaxFileSize().ifPresent(s -> {
      long mib = c.sparkMemory("rollingMaxFileSize", s);
      // Spark's own lower bound for spark.eventLog.rolling.maxFileSize.
      c.require(mib <= 0 || mib >= 10, "rollingMaxFileSize", s, "must be at least 10m (Spark's minimum)");
    });
    compressionCodec().ifPresent(codec -> c.require(CODECS.contains(codec), "compressionCodec",
        codec, "must be one of lz4, lzf, snappy, zstd, none"));
    c.throwIfAny();
  }
}
