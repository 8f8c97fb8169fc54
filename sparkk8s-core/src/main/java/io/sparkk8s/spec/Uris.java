package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** Rules for the URIs a job names: its primary resource, jars, files and Python files. */
final class Uris {
  /** Schemes a driver or executor can read by itself with the connectors Spark images carry. */
  public static final Set<String> REMOTE_SCHEMES = Set.of(
      "local", "gs", "s3a", "s3", "hdfs", "viewfs", "http", "https", "abfs", "abfss", "wasb",
      "wasbs", "oss", "cos", "ftp");

  private Uris() {}

  /** The last path segment of a URI, or "" when it has none. */
  public static String fileName(String uri) {
    String path = uri;
    try {
      String p = new URI(uri).getPath();
      if (p != null) {
        path = p;
      }
    } catch (URISyntaxException e) {
      // fall back to the raw string
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /**
   * Checks a resource URI: readable from inside the cluster ({@code local://} in the image, or a
   * remote scheme), with a file name. Files on the submitting machine must be staged first.
   */
  public static void checkResource(Checks c, String attribute, String uri) {
    if (Checks.of("").text(attribute, uri).hasProblems()) {
      c.text(attribute, uri);
      return;
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      c.fail(attribute, uri, "must be a valid URI (" + e.getReason() + ")");
      return;
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.isEmpty() || scheme.equals("file")) {
      c.fail(attribute, uri, "is a file on the submitting machine, which the cluster cannot read:"
          + " use local:///path for a file inside the image, or stage it to shared storage"
          + " (gs://, s3a://, hdfs://, https://)");
      return;
    }
    if (!REMOTE_SCHEMES.contains(scheme)) {
      c.fail(attribute, uri, "has an unsupported scheme '" + scheme + "'; use one of "
          + String.join(", ", new java.util.TreeSet<>(REMOTE_SCHEMES)));
      return;
    }
    String path = parsed.getPath();
    if (scheme.equals("local") && (parsed.getAuthority() != null || path == null
        || !path.startsWith("/"))) {
      c.fail(attribute, uri, "a local:// URI must hold an absolute path inside the image,"
          + " as in local:///opt/spark/app.jar (three slashes)");
      return;
    }
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      c.fail(attribute, uri, "must name a file, not a directory");
    }
  }
}
