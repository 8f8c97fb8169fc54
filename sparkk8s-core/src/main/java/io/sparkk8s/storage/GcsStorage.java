package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * A Google Cloud Storage bucket, read and written through the Cloud Storage connector for Hadoop
 * ({@code gs://}).
 *
 * <pre>{@code
 * // On GKE with Workload Identity: no key at all, the pod's service account is bound to a
 * // Google service account.
 * GcsStorage logs = GcsStorage.of("team-bucket").withPrefix("spark/events");
 * // Elsewhere: a service-account key kept in a Secret, mounted as a file.
 * GcsStorage keyed = logs.withKeySecret("gcs-key", "key.json");
 * }</pre>
 *
 * <p>The key never appears in conf, args or env: the Secret is mounted at {@code
 * /var/secrets/sparkk8s/<name>} and {@code fs.gs.auth.service.account.json.keyfile} names the file.
 * The connector ({@code com.google.cloud.bigdataoss:gcs-connector}, 3.x key names) is added to the
 * job's jars as its shaded jar from Maven Central (Ivy cannot resolve the unshaded one's
 * dependencies), unless the image has it ({@link #imageHasConnector()}) or
 * {@link #connectorJarUrl()} names a mirror.
 */
@Value.Immutable
public abstract class GcsStorage extends StorageBackend {
  /** The connector version added to {@code spark.jars.packages} by default. */
  public static final String DEFAULT_CONNECTOR_VERSION = "3.0.13";
  /** Where key Secrets are mounted: {@code <root>/<name>}. */
  public static final String SECRET_ROOT = "/var/secrets/sparkk8s";

  GcsStorage() {}

  /** The bucket {@code bucket}, at its root, reached with the pod's own identity. */
  public static GcsStorage of(String bucket) {
    return builder().bucket(bucket).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link GcsStorage}. */
  public static final class Builder extends ImmutableGcsStorage.Builder {
    Builder() {}
  }

  /** How pods authenticate to Cloud Storage. */
  public enum Auth {
    /** The pod's Application Default Credentials: Workload Identity on GKE; no key anywhere. */
    WORKLOAD_IDENTITY,
    /** A service-account JSON key kept in a Secret and mounted as a file. */
    KEY_SECRET,
    /** No authentication: only for emulators such as fake-gcs-server on a private endpoint. */
    NONE
  }

  @Override
  @Value.Default
  public String name() {
    return "gcs";
  }

  /** The bucket name. */
  public abstract String bucket();

  /** A path inside the bucket that is this backend's root; empty for the bucket's root. */
  @Value.Default
  public String prefix() {
    return "";
  }

  /** The Secret that holds a service-account JSON key; sets {@link Auth#KEY_SECRET}. */
  public abstract Optional<String> keySecretName();

  /** The key of {@link #keySecretName()} that holds the JSON key; {@code key.json} by default. */
  @Value.Default
  public String keySecretKey() {
    return "key.json";
  }

  /** Whether pods send no credentials at all (emulators only). */
  @Value.Default
  public boolean unauthenticated() {
    return false;
  }

  /** Another Cloud Storage endpoint, such as a private one or an emulator: {@code fs.gs.storage.root.url}. */
  public abstract Optional<String> endpoint();

  /** The Google Cloud project, for connector operations that need one ({@code fs.gs.project.id}). */
  public abstract Optional<String> projectId();

  /** Whether the image already holds the connector, so no package is added. */
  @Value.Default
  public boolean imageHasConnector() {
    return false;
  }

  /** The connector version to add when the image lacks it. */
  @Value.Default
  public String connectorVersion() {
    return DEFAULT_CONNECTOR_VERSION;
  }

  /** Where pods download the shaded connector jar from; Maven Central by default. */
  @Value.Default
  public String connectorJarUrl() {
    String v = connectorVersion();
    return "https://repo1.maven.org/maven2/com/google/cloud/bigdataoss/gcs-connector/" + v
        + "/gcs-connector-" + v + "-shaded.jar";
  }

  /** How pods authenticate, derived from the options. */
  @Value.Derived
  public Auth auth() {
    if (keySecretName().isPresent()) {
      return Auth.KEY_SECRET;
    }
    return unauthenticated() ? Auth.NONE : Auth.WORKLOAD_IDENTITY;
  }

  /** A copy rooted at {@code prefix} inside the bucket. */
  public abstract GcsStorage withPrefix(String prefix);

  /** A copy named {@code name}. */
  public abstract GcsStorage withName(String name);

  /** A copy using another endpoint (a private one, or an emulator). */
  public abstract GcsStorage withEndpoint(String endpoint);

  /** A copy that sends no credentials (emulators only). */
  public abstract GcsStorage withUnauthenticated(boolean unauthenticated);

  /** A copy for an image that already holds the connector. */
  public abstract GcsStorage withImageHasConnector(boolean imageHasConnector);

  /** A copy authenticated with the JSON key in Secret {@code secretName} under {@code key}. */
  public GcsStorage withKeySecret(String secretName, String key) {
    return builder().from(this).keySecretName(secretName).keySecretKey(key).build();
  }

  @Override
  public String scheme() {
    return "gs";
  }

  @Override
  public String rootUri() {
    return StorageChecks.join("gs://" + bucket(), prefix());
  }

  /** Where the key Secret is mounted. */
  public String keyMountPath() {
    return SECRET_ROOT + "/" + name();
  }

  @Override
  public SortedMap<String, String> hadoopConf(String sparkVersion) {
    SortedMap<String, String> conf = new TreeMap<>();
    conf.put("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
    conf.put("fs.AbstractFileSystem.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS");
    switch (auth()) {
      case KEY_SECRET -> {
        conf.put("fs.gs.auth.type", "SERVICE_ACCOUNT_JSON_KEYFILE");
        conf.put("fs.gs.auth.service.account.json.keyfile", keyMountPath() + "/" + keySecretKey());
      }
      case NONE -> {
        conf.put("fs.gs.auth.type", "UNAUTHENTICATED");
        // Emulators (fake-gcs-server) lack objects.move, which the connector renames with; a
        // finished application's log would otherwise stay ".inprogress".
        conf.put("fs.gs.operation.move.enable", "false");
      }
      case WORKLOAD_IDENTITY -> conf.put("fs.gs.auth.type", "APPLICATION_DEFAULT");
    }
    endpoint().ifPresent(e -> conf.put("fs.gs.storage.root.url", e));
    projectId().ifPresent(p -> conf.put("fs.gs.project.id", p));
    return conf;
  }

  @Override
  public List<String> connectorPackages(String sparkVersion) {
    return List.of();
  }

  @Override
  public List<String> connectorJars(String sparkVersion) {
    return imageHasConnector() ? List.of() : List.of(connectorJarUrl());
  }

  @Override
  public List<SecretVolume> secretVolumes() {
    return keySecretName().map(s -> List.of(SecretVolume.of(s, keyMountPath()))).orElse(List.of());
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("GcsStorage");
    StorageChecks.name(c, name());
    StorageChecks.gcsBucket(c, bucket());
    StorageChecks.relativePath(c, "prefix", prefix());
    keySecretName().ifPresent(s -> c.dnsSubdomain("keySecretName", s));
    c.secretKey("keySecretKey", keySecretKey());
    c.require(!(unauthenticated() && keySecretName().isPresent()), "unauthenticated", true,
        "cannot be set together with keySecretName; choose one");
    endpoint().ifPresent(e -> StorageChecks.httpEndpoint(c, "endpoint", e));
    projectId().ifPresent(p -> c.require(p.matches("[a-z][-a-z0-9]{4,28}[a-z0-9]"), "projectId", p,
        "must be a Google Cloud project id: 6-30 lowercase letters, digits and '-'"));
    c.require(connectorVersion().matches("[0-9A-Za-z][0-9A-Za-z._-]*"), "connectorVersion",
        connectorVersion(), "must be a Maven version such as " + DEFAULT_CONNECTOR_VERSION);
    c.line("connectorJarUrl", connectorJarUrl());
    c.require(connectorJarUrl().matches("https?://\\S+\\.jar"), "connectorJarUrl",
        connectorJarUrl(), "must be an http(s) URL of a jar");
    c.throwIfAny();
  }
}
