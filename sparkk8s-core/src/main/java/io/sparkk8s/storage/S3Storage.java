package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * An S3 bucket, on AWS or any S3-compatible store (MinIO, Ceph, ...), read and written through
 * Hadoop's S3A connector ({@code s3a://}).
 *
 * <pre>{@code
 * S3Storage logs = S3Storage.of("team-bucket").withPrefix("spark/events")
 *     .withEndpoint("https://minio.storage.svc:9000").withPathStyleAccess(true)
 *     .withCredentialsSecret("s3-creds");   // keys "access-key" and "secret-key"
 * }</pre>
 *
 * <p>Settings are per bucket ({@code fs.s3a.bucket.<bucket>.*}) so a job can use several stores.
 * Credentials reach pods as {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} from the
 * Secret ({@code secretKeyRef}), which S3A's default provider chain reads; without a Secret the
 * pod's own identity (IRSA, instance profile) is used. {@code org.apache.hadoop:hadoop-aws} of the
 * Spark version's Hadoop is added to {@code spark.jars.packages} unless the image has it.
 */
@Value.Immutable
public abstract class S3Storage extends StorageBackend {
  /** The variable S3A reads the access key id from. */
  public static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  /** The variable S3A reads the secret access key from. */
  public static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

  S3Storage() {}

  /** The bucket {@code bucket}, at its root, on AWS with the pod's own identity. */
  public static S3Storage of(String bucket) {
    return builder().bucket(bucket).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link S3Storage}. */
  public static final class Builder extends ImmutableS3Storage.Builder {
    Builder() {}
  }

  @Override
  @Value.Default
  public String name() {
    return "s3";
  }

  /** The bucket name. */
  public abstract String bucket();

  /** A path inside the bucket that is this backend's root; empty for the bucket's root. */
  @Value.Default
  public String prefix() {
    return "";
  }

  /** The store's endpoint, for S3-compatible stores: {@code http(s)://host[:port]}. */
  public abstract Optional<String> endpoint();

  /** The signing region; {@code us-east-1} when an endpoint is set and no region is. */
  public abstract Optional<String> region();

  /** Path-style requests ({@code host/bucket/key}), which most S3-compatible stores need. */
  @Value.Default
  public boolean pathStyleAccess() {
    return false;
  }

  /** The Secret holding the access key pair; none to use the pod's own identity. */
  public abstract Optional<String> credentialsSecretName();

  /** The key of the Secret holding the access key id. */
  @Value.Default
  public String accessKeyKey() {
    return "access-key";
  }

  /** The key of the Secret holding the secret access key. */
  @Value.Default
  public String secretKeyKey() {
    return "secret-key";
  }

  /** Whether the image already holds {@code hadoop-aws} and the AWS SDK. */
  @Value.Default
  public boolean imageHasConnector() {
    return false;
  }

  /** A copy rooted at {@code prefix} inside the bucket. */
  public abstract S3Storage withPrefix(String prefix);

  /** A copy named {@code name}. */
  public abstract S3Storage withName(String name);

  /** A copy using an S3-compatible store's endpoint. */
  public abstract S3Storage withEndpoint(String endpoint);

  /** A copy signing for {@code region}. */
  public abstract S3Storage withRegion(String region);

  /** A copy with path-style access on or off. */
  public abstract S3Storage withPathStyleAccess(boolean pathStyleAccess);

  /** A copy for an image that already holds the connector. */
  public abstract S3Storage withImageHasConnector(boolean imageHasConnector);

  /** A copy reading its key pair from Secret {@code secretName} (keys {@code access-key}, {@code secret-key}). */
  public abstract S3Storage withCredentialsSecretName(String secretName);

  /** The same as {@link #withCredentialsSecretName(String)}. */
  public S3Storage withCredentialsSecret(String secretName) {
    return withCredentialsSecretName(secretName);
  }

  @Override
  public String scheme() {
    return "s3a";
  }

  @Override
  public String rootUri() {
    return StorageChecks.join("s3a://" + bucket(), prefix());
  }

  @Override
  public SortedMap<String, String> hadoopConf(String sparkVersion) {
    String p = "fs.s3a.bucket." + bucket() + ".";
    SortedMap<String, String> conf = new TreeMap<>();
    endpoint().ifPresent(e -> {
      conf.put(p + "endpoint", e);
      conf.put(p + "connection.ssl.enabled", Boolean.toString(e.startsWith("https:")));
    });
    Optional<String> signing = region().or(() -> endpoint().map(e -> "us-east-1"));
    signing.ifPresent(r -> conf.put(p + "endpoint.region", r));
    if (pathStyleAccess()) {
      conf.put(p + "path.style.access", "true");
    }
    return conf;
  }

  /**
   * {@code hadoop-aws} of the Hadoop the Spark version is built with (Spark 3.5: 3.3.4; Spark 4.0:
   * 3.4.1; Spark 4.1: 3.4.2), which brings the AWS SDK it was built against.
   */
  @Override
  public List<String> connectorPackages(String sparkVersion) {
    if (imageHasConnector()) {
      return List.of();
    }
    String hadoop;
    if (sparkVersion.startsWith("3.")) {
      hadoop = "3.3.4";
    } else if (sparkVersion.startsWith("4.0.")) {
      hadoop = "3.4.1";
    } else {
      hadoop = "3.4.2";
    }
    return List.of("org.apache.hadoop:hadoop-aws:" + hadoop);
  }

  @Override
  public List<SecretEnv> secretEnv() {
    return credentialsSecretName().map(s -> List.of(
        SecretEnv.of(ACCESS_KEY_ENV, s, accessKeyKey()),
        SecretEnv.of(SECRET_KEY_ENV, s, secretKeyKey()))).orElse(List.of());
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("S3Storage");
    StorageChecks.name(c, name());
    StorageChecks.s3Bucket(c, bucket());
    StorageChecks.relativePath(c, "prefix", prefix());
    endpoint().ifPresent(e -> StorageChecks.httpEndpoint(c, "endpoint", e));
    region().ifPresent(r -> c.require(r.matches("[a-z0-9-]{2,32}"), "region", r,
        "must be a region name such as eu-west-1"));
    credentialsSecretName().ifPresent(s -> c.dnsSubdomain("credentialsSecretName", s));
    c.secretKey("accessKeyKey", accessKeyKey());
    c.secretKey("secretKeyKey", secretKeyKey());
    c.require(!accessKeyKey().equals(secretKeyKey()), "secretKeyKey", secretKeyKey(),
        "must differ from accessKeyKey");
    c.throwIfAny();
  }
}
