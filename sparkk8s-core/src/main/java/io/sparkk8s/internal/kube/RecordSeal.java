package io.sparkk8s.internal.kube;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The HMAC-SHA256 tags of a retry record. The record's tag covers its identity (namespace, name,
 * job id) and every data entry except the attempts' ends, which other clients add later: each end
 * carries a tag of its own, bound to the record's uid, so a client writing one never has to
 * rewrite (and race on) the record's tag. Pure; no I/O.
 *
 * <p>Texts are encoded length-prefixed, so no two different contents encode alike (no entry can
 * be shifted into its neighbour).
 */
final class RecordSeal {
  /** The record's tag, on the record ConfigMap. */
  static final String TAG = "sparkk8s.io/record-hmac";
  /** The tag of attempt n's end: this prefix and n. */
  static final String END_TAG_PREFIX = "sparkk8s.io/ended-hmac-";
  private static final Pattern END_KEY = Pattern.compile("ended-[0-9]{1,9}");
  private static final String VERSION = "v1:";

  private RecordSeal() {}

  /** Whether a data key is an attempt's end (not covered by the record's tag). */
  static boolean isEnd(String dataKey) {
    return END_KEY.matcher(dataKey).matches();
  }

  /** The record's tag under {@code key}. */
  static String tag(SecretKey key, String ns, String name, String jobId, Map<String, String> data) {
    return VERSION + mac(key, recordContent(ns, name, jobId, data));
  }

  /** Whether {@code tag} is the record's tag under {@code key}; false for a missing tag. */
  static boolean verify(SecretKey key, String ns, String name, String jobId,
      Map<String, String> data, String tag) {
    return tag != null && equal(tag(key, ns, name, jobId, data), tag);
  }

  /** The tag of attempt {@code n}'s end entry in the record of uid {@code recordUid}. */
  static String endTag(SecretKey key, String recordUid, int n, String entry) {
    return VERSION + mac(key, encode("sparkk8s-record-end", recordUid, Integer.toString(n), entry));
  }

  static boolean verifyEnd(SecretKey key, String recordUid, int n, String entry, String tag) {
    return tag != null && recordUid != null && equal(endTag(key, recordUid, n, entry), tag);
  }

  private static byte[] recordContent(String ns, String name, String jobId,
      Map<String, String> data) {
    var sealed = new TreeMap<String, String>();
    (data == null ? Map.<String, String>of() : data).forEach((k, v) -> {
      if (!isEnd(k)) {
        sealed.put(k, v);
      }
    });
    String[] parts = new String[4 + 2 * sealed.size()];
    parts[0] = "sparkk8s-record";
    parts[1] = ns;
    parts[2] = name;
    parts[3] = jobId;
    int i = 4;
    for (var e : sealed.entrySet()) {
      parts[i++] = e.getKey();
      parts[i++] = e.getValue();
    }
    return encode(parts);
  }

  private static byte[] encode(String... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(parts.length);
      for (String p : parts) {
        byte[] b = (p == null ? "" : p).getBytes(StandardCharsets.UTF_8);
        out.writeInt(p == null ? -1 : b.length);
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String mac(SecretKey key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(content));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Constant time, so a forger learns nothing from how long a comparison took. */
  private static boolean equal(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
