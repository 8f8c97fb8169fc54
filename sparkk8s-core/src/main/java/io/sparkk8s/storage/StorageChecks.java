package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.regex.Pattern;

/** Rules the backends share. */
final class StorageChecks {
  private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern GCS_BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

  private StorageChecks() {}

  static void name(Checks c, String name) {
    c.dnsLabel("name", name, 40);
  }

  /** A relative path inside a bucket or file system: no leading or trailing '/', no '..'. */
  static void relativePath(Checks c, String attribute, String path) {
    if (path.isEmpty()) {
      return;
    }
    c.require(!path.startsWith("/") && !path.endsWith("/"), attribute, path,
        "must not start or end with '/'");
    c.require(!path.contains("//") && !path.matches("(.*/)?\\.\\.?(/.*)?"), attribute, path,
        "must not contain empty, '.' or '..' segments");
    c.line(attribute, path);
  }

  static void absolutePath(Checks c, String attribute, String path) {
    c.require(path.startsWith("/"), attribute, path, "must be an absolute path");
    if (path.length() > 1) {
      relativePath(c, attribute, path.substring(1));
    }
  }

  static void s3Bucket(Checks c, String bucket) {
    c.require(S3_BUCKET.matcher(bucket).matches() && !bucket.contains(".."), "bucket", bucket,
        "must be an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-',"
            + " starting and ending with a letter or digit");
  }

  static void gcsBucket(Checks c, String bucket) {
    boolean shape = GCS_BUCKET.matcher(bucket).matches()
        && (bucket.contains(".") || bucket.length() <= 63) && !bucket.startsWith("goog");
    c.require(shape, "bucket", bucket, "must be a GCS bucket name: 3-63 lowercase letters, digits,"
        + " '-', '_' and '.' (up to 222 with dots), starting and ending with a letter or digit,"
        + " not starting with 'goog'");
  }

  static void httpEndpoint(Checks c, String attribute, String endpoint) {
    c.line(attribute, endpoint);
    c.require(endpoint.matches("https?://[^\\s/?#]+(:[0-9]{1,5})?/?"), attribute, endpoint,
        "must be an http(s) URL of a host and optional port, such as https://storage.example.com");
  }

  /** Joins a root and a prefix that may be empty. */
  static String join(String root, String prefix) {
    return prefix.isEmpty() ? root : root + "/" + prefix;
  }
}
