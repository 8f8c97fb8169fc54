package io.sparkk8s.storage.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials with which this machine (not a pod) reaches a storage backend. In the cluster the
 * same backend reads its credentials from a Secret; the client never reads that Secret.
 *
 * <pre>{@code
 * StorageCredentials s3 = StorageCredentials.s3(System.getenv("S3_ACCESS_KEY"),
 *     System.getenv("S3_SECRET_KEY"));
 * StorageCredentials gcs = StorageCredentials.gcsServiceAccountKey(Path.of("key.json"));
 * StorageCredentials fromEnvironment = StorageCredentials.ambient();  // ADC, AWS chain, Kerberos
 * }</pre>
 *
 * <p>{@link #toString()} never shows a secret, and nothing in sparkk8s logs one.
 */
public final class StorageCredentials {
  /** The kind of credentials. */
  public enum Kind {
    /** What the environment provides: Application Default Credentials for GCS, the AWS default
     *  chain for S3, the login user (or Kerberos ticket) for HDFS. */
    AMBIENT,
    /** No credentials at all (emulators, public buckets). */
    ANONYMOUS,
    /** An S3 access key pair. */
    S3_KEYS,
    /** A Google service-account JSON key. */
    GCS_KEY,
    /** A Hadoop user name for HDFS with simple authentication. */
    HADOOP_USER
  }

  private final Kind kind;
  private final String id;
  private final String secret;

  private StorageCredentials(Kind kind, String id, String secret) {
    this.kind = kind;
    this.id = id;
    this.secret = secret;
  }

  /** The environment's own credentials. */
  public static StorageCredentials ambient() {
    return new StorageCredentials(Kind.AMBIENT, null, null);
  }

  /** No credentials: unauthenticated requests. */
  public static StorageCredentials anonymous() {
    return new StorageCredentials(Kind.ANONYMOUS, null, null);
  }

  /** An S3 access key id and secret access key. */
  public static StorageCredentials s3(String accessKey, String secretKey) {
    require(accessKey, "accessKey");
    require(secretKey, "secretKey");
    return new StorageCredentials(Kind.S3_KEYS, accessKey, secretKey);
  }

  /** A Google service-account JSON key, read now from {@code jsonKeyFile}. */
  public static StorageCredentials gcsServiceAccountKey(Path jsonKeyFile) {
    try {
      return gcsServiceAccountKeyJson(Files.readString(jsonKeyFile));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the service-account key " + jsonKeyFile
          + ": " + e.getMessage(), e);
    }
  }

  /** A Google service-account JSON key given as its content. */
  public static StorageCredentials gcsServiceAccountKeyJson(String json) {
    require(json, "json");
    return new StorageCredentials(Kind.GCS_KEY, null, json);
  }

  /** The Hadoop user {@code user}, for HDFS with simple authentication. */
  public static StorageCredentials hadoopUser(String user) {
    require(user, "user");
    return new StorageCredentials(Kind.HADOOP_USER, user, null);
  }

  /** The kind of credentials. */
  public Kind kind() {
    return kind;
  }

  /** The access key id or user name, which are not secret; empty for other kinds. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** The secret itself; for sparkk8s' own use, never logged. */
  String secret() {
    return secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageCredentials c && c.kind == kind && Objects.equals(c.id, id)
        && Objects.equals(c.secret, secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, id);
  }

  /** The kind and the non-secret id only. */
  @Override
  public String toString() {
    return "StorageCredentials{" + kind + (id == null ? "" : ", id=" + id)
        + (secret == null ? "" : ", secret=***") + "}";
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
