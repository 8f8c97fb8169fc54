package io.sparkk8s.internal.kube;

import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.sparkk8s.internal.compile.SparkAuthStep;
import io.sparkk8s.spec.StorageExpansion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Draws the keys of Spark's authentication ({@link SparkAuthStep}): 256 bits from the JVM's
 * {@link SecureRandom}, written as 64 hex digits (Spark reads the file as text).
 */
final class SparkAuthKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SparkAuthKeys() {}

  /** A fresh key, as the bytes of the file Spark reads. */
  static byte[] draw() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * If {@code compiled} is a Secret whose key the client draws and has none, puts a fresh key into
   * {@code json}, the request that creates it: the compiled object (which a retried job's record
   * keeps) never holds one. A retried request sends the same key.
   */
  static void fill(KubernetesObject compiled, JsonObject json) {
    if (!SparkAuthStep.wantsKey(compiled)) {
      return;
    }
    JsonObject data = json.has("data") ? json.getAsJsonObject("data") : new JsonObject();
    data.addProperty(StorageExpansion.AUTH_KEY, Base64.getEncoder().encodeToString(draw()));
    json.add("data", data);
  }
}
