package io.sparkk8s.storage.client;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.HdfsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.StorageBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How this machine reaches a {@link StorageBackend}: the backend, the caller's own
 * {@link StorageCredentials} and, for NFS, where the export is mounted here. The entry point of the
 * event log reader, the dependency stager and the early checks.
 *
 * <pre>{@code
 * S3Storage s3 = S3Storage.of("team-bucket").withEndpoint("https://minio.example.com")
 *     .withPathStyleAccess(true).withCredentialsSecret("s3-creds");
 * StorageAccess access = StorageAccess.of(s3, StorageCredentials.s3(accessKey, secretKey));
 * access.check();                       // fails fast: missing bucket, wrong key, unreachable
 * }</pre>
 *
 * <p>Hadoop-backed access uses Hadoop's defaults plus any {@code core-site.xml} on the classpath,
 * overlaid by the backend's own {@link StorageBackend#hadoopConf() Hadoop conf} and
 * {@link #withHadoopConf(Map) extra conf}. Credentials stay in memory: they are never written to a
 * file or a log.
 */
public final class StorageAccess {
  private final StorageBackend backend;
  private final StorageCredentials credentials;
  private final Path localMount;
  private final Map<String, String> extraConf;

  private StorageAccess(StorageBackend backend, StorageCredentials credentials, Path localMount,
      Map<String, String> extraConf) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.localMount = localMount;
    this.extraConf = Map.copyOf(extraConf);
    boolean fits = switch (credentials.kind()) {
      case AMBIENT -> true;
      case ANONYMOUS -> backend instanceof S3Storage || backend instanceof GcsStorage;
      case S3_KEYS -> backend instanceof S3Storage;
      case GCS_KEY -> backend instanceof GcsStorage;
      case HADOOP_USER -> backend instanceof HdfsStorage;
    };
    if (!fits) {
      throw new IllegalArgumentException("credentials of kind " + credentials.kind()
          + " cannot be used with the " + backend.getClass().getSimpleName() + " backend '"
          + backend.name() + "'");
    }
  }

  /** Access to {@code backend} with {@code credentials}. */
  public static StorageAccess of(StorageBackend backend, StorageCredentials credentials) {
    return new StorageAccess(backend, credentials, null, Map.of());
  }

  /** Access to {@code backend} with the environment's own credentials. */
  public static StorageAccess of(StorageBackend backend) {
    return of(backend, StorageCredentials.ambient());
  }

  /**
   * A copy that reaches an {@link NfsStorage} (or any {@code file://} backend) through
   * {@code mountPoint} on this machine, where pods mount it at {@code /mnt/sparkk8s/<name>}.
   */
  public StorageAccess withLocalMount(Path mountPoint) {
    return new StorageAccess(backend, credentials, mountPoint.toAbsolutePath(), extraConf);
  }

  /** A copy with extra Hadoop settings for this machine (for example Kerberos ones). */
  public StorageAccess withHadoopConf(Map<String, String> conf) {
    Map<String, String> merged = new TreeMap<>(extraConf);
    merged.putAll(conf);
    return new StorageAccess(backend, credentials, localMount, merged);
  }

  /** The backend. */
  public StorageBackend backend() {
    return backend;
  }

  /** The credentials (which print without their secret). */
  public StorageCredentials credentials() {
    return credentials;
  }

  /** Where a mounted backend is mounted on this machine. */
  public Optional<Path> localMount() {
    return Optional.ofNullable(localMount);
  }

  /**
   * Checks that the backend's root exists and can be listed with these credentials.
   *
   * @throws StorageException naming the backend, the location and the cause: a missing bucket or
   *     path ({@code NOT_FOUND}), rejected credentials, a missing permission, an unreachable
   *     endpoint or namenode
   */
  public void check() {
    check("");
  }

  /** Checks that {@code relativePath} under the backend's root exists and can be listed. */
  public void check(String relativePath) {
    String uri = clientUri(backend.resolve(relativePath));
    try (Store store = openStore()) {
      store.checkRoot(uri);
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(backend.name(), uri, e);
    }
  }

  /**
   * Like {@link #check(String)}, and writes then deletes a small probe file there: what Spark's
   * event logging and the dependency stager need.
   */
  public void checkWritable(String relativePath) {
    check(relativePath);
    String probe = clientUri(backend.resolve(relativePath)) + "/.sparkk8s-probe-"
        + UUID.randomUUID();
    try (Store store = openStore()) {
      store.write(probe, "sparkk8s write check\n".getBytes(StandardCharsets.UTF_8));
      store.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(backend.name(), probe, e);
    }
  }

  /**
   * Creates {@code relativePath} under the backend's root when it does not exist, as Spark needs
   * for an event log directory ({@code EventLog#directory()}) before the first job starts.
   *
   * @return the directory's URI as the backend names it
   * @throws StorageException when it cannot be created
   */
  public String ensureDirectory(String relativePath) {
    String uri = clientUri(backend.resolve(relativePath));
    try (Store store = openStore()) {
      store.mkdirs(uri);
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(backend.name(), uri, e);
    }
    return backend.resolve(relativePath);
  }

  /** The URI this machine uses for a backend URI (differs only for mounted backends). */
  String clientUri(String backendUri) {
    if (localMount != null && backend instanceof NfsStorage nfs) {
      String mount = "file://" + nfs.mountPath();
      if (backendUri.startsWith(mount)) {
        return localMount.toUri().toString().replaceAll("/$", "")
            + backendUri.substring(mount.length());
      }
    }
    return backendUri;
  }

  /** A store for this backend; the caller closes it. */
  Store openStore() throws IOException {
    if (backend instanceof GcsStorage gcs) {
      return GcsStore.open(gcs.endpoint().orElse(null), gcsCredentials(gcs),
          gcs.projectId().orElse(null));
    }
    Map<String, String> conf = new TreeMap<>(backend.hadoopConf());
    if (backend instanceof S3Storage s3) {
      String p = "fs.s3a.bucket." + s3.bucket() + ".";
      switch (credentials.kind()) {
        case S3_KEYS -> {
          conf.put(p + "access.key", credentials.id().orElseThrow());
          conf.put(p + "secret.key", credentials.secret());
          conf.put(p + "aws.credentials.provider",
              "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        }
        case ANONYMOUS -> conf.put(p + "aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        default -> { }
      }
      // An interactive client should fail in seconds, not retry for minutes as a job would.
      conf.putIfAbsent("fs.s3a.attempts.maximum", "1");
      conf.putIfAbsent("fs.s3a.retry.limit", "1");
      conf.putIfAbsent("fs.s3a.retry.interval", "100ms");
      conf.putIfAbsent("fs.s3a.connection.establish.timeout", "5000");
      conf.putIfAbsent("fs.s3a.connection.timeout", "30000");
    }
    if (backend instanceof HdfsStorage) {
      conf.putIfAbsent("ipc.client.connect.max.retries", "1");
      conf.putIfAbsent("ipc.client.connect.max.retries.on.timeouts", "1");
      conf.putIfAbsent("ipc.client.connect.retry.interval", "200");
      conf.putIfAbsent("ipc.client.connect.timeout", "5000");
      conf.putIfAbsent("dfs.client.retry.policy.enabled", "false");
    }
    conf.putAll(extraConf);
    String root = clientUri(backend.rootUri());
    String user = credentials.kind() == StorageCredentials.Kind.HADOOP_USER
        ? credentials.id().orElseThrow() : null;
    return HadoopStore.open(root, conf, user);
  }

  private Credentials gcsCredentials(GcsStorage gcs) throws IOException {
    return switch (credentials.kind()) {
      case GCS_KEY -> ServiceAccountCredentials.fromStream(
          new ByteArrayInputStream(credentials.secret().getBytes(StandardCharsets.UTF_8)));
      case ANONYMOUS -> NoCredentials.getInstance();
      default -> gcs.auth() == GcsStorage.Auth.NONE ? NoCredentials.getInstance() : null;
    };
  }

  /** The backend and the kind of credentials; never a secret. */
  @Override
  public String toString() {
    return "StorageAccess{" + backend.name() + " " + backend.rootUri() + ", " + credentials
        + (localMount == null ? "" : ", mounted at " + localMount) + "}";
  }
}
