package io.sparkk8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals (HMAC-SHA256) the retry records a client writes, and lets another client
 * holding the same key continue the retries of jobs it did not submit. Without a key, a client
 * continues the retries only of jobs it submitted itself and follows every other retried job read
 * only: a record is data anyone who may create ConfigMaps in the namespace can write, so it is
 * never obeyed unless its seal proves that a holder of the key wrote it.
 *
 * <pre>{@code
 * RecordKey key = RecordKey.fromFile(Path.of("/etc/sparkk8s/record-key"));  // 32+ random bytes
 * SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty(),
 *     Duration.ofMinutes(1), ApiRetryPolicy.defaults(), key);
 * }</pre>
 *
 * <p>Keep the key where the jobs' drivers cannot read it (not in the jobs' namespaces). Its
 * {@link #toString()} shows only its {@link #id()}.
 */
public final class RecordKey {
  /** The shortest key accepted: HMAC-SHA256's output length, as RFC 2104 recommends. */
  public static final int MIN_BYTES = 32;

  private final byte[] key;
  private final String id;

  private RecordKey(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException("key length < " + MIN_BYTES + " bytes: " + key.length);
    }
    this.key = key.clone();
    this.id = fingerprint(key);
  }

  /** A key of the given bytes (at least {@value #MIN_BYTES}, random). */
  public static RecordKey of(byte[] key) {
    return new RecordKey(Objects.requireNonNull(key, "key"));
  }

  /** A key given as Base64 text (as {@code head -c 32 /dev/urandom | base64} prints it). */
  public static RecordKey fromBase64(String base64) {
    Objects.requireNonNull(base64, "base64");
    return new RecordKey(Base64.getMimeDecoder().decode(base64.strip()));
  }

  /**
   * A key read from a file holding it as Base64 text (a mounted Secret, for example).
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public static RecordKey fromFile(Path file) {
    try {
      return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the record key from " + file, e);
    }
  }

  /** The key, for {@link javax.crypto.Mac#init}: a copy each time. */
  public SecretKey secretKey() {
    return new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * A fingerprint that names the key in logs and records without revealing it: 16 hex digits of
   * the SHA-256 of a fixed label and the key.
   */
  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordKey k && MessageDigest.isEqual(key, k.key);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "RecordKey{id=" + id + "}";
  }

  private static String fingerprint(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("sparkk8s-record-key-id".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(key), 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
