package io.sparkk8s.spec;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.Text;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Routes the free-text attributes of a {@link SparkJob} through {@link Text}: what becomes a
 * Spark property is one line, what a Kubernetes field carries as data (arguments, environment
 * and annotation values) may span lines. Attributes with a grammar of their own (names, labels,
 * quantities, URIs, paths) are checked by it, and none of those grammars admits a control
 * character.
 */
final class JobText {
  /** What the derived application id's hash starts with, before the description's text. */
  private static final byte[] APP_ID_PREFIX =
      "sparkk8s/app-id/v1\n".getBytes(StandardCharsets.UTF_8);

  /** Linux's limit on one argument of a process ({@code MAX_ARG_STRLEN}). */
  static final int MAX_ARGUMENT_BYTES = 128 * 1024;

  private JobText() {}

  static void check(Checks c, JobDescription job) {
    job.appName().ifPresent(n -> c.line("appName", n));
    c.line("sparkUser", job.sparkUser());
    job.proxyUser().ifPresent(u -> c.line("proxyUser", u));
    job.historyServerUrl().ifPresent(u -> c.line("historyServerUrl", u));
    c.conf("sparkConf", job.sparkConf());
    for (String arg : job.arguments()) {
      // The kernel passes arguments as C strings: a NUL would silently cut one short.
      c.text("arguments", arg);
      c.require(Utf8Bytes.length(arg) <= MAX_ARGUMENT_BYTES,
          "arguments", arg.length() + " characters", "each argument must be at most 128 KiB"
              + " (Linux's MAX_ARG_STRLEN); pass large input as a file");
    }
    values(c, "annotations", job.annotations());
    values(c, "driver.annotations", job.driver().annotations());
    values(c, "executor.annotations", job.executor().annotations());
    values(c, "env", job.env());
    values(c, "driver.env", job.driver().env());
    values(c, "executor.env", job.executor().env());
  }

  /** {@link SparkJob#toString()}: every attribute, secret-looking values redacted. */
  static String shown(JobDescription job) {
    return written(job).toString();
  }

  /**
   * The id derived from the description: its text, hashed without the copy a string makes, and
   * the values that text redacts, so two descriptions that differ only in a secret (a per-run
   * token) get two ids, and the second submit does not attach to the first's driver.
   */
  static String derivedAppId(JobDescription job) {
    // spark- and 32 hex digits of a hash of the text (every attribute, maps in natural order, so
    // equal descriptions give equal ids), then of each redacted value with its length, so that
    // descriptions differing only in a secret differ. The text's bytes go to the hash in chunks:
    // no second copy of the text, no byte array.
    Shown s = written(job);
    Hasher hasher = Utf8Bytes.put(Hashing.sha256().newHasher().putBytes(APP_ID_PREFIX), s.text());
    for (String secret : s.redacted()) {
      Utf8Bytes.put(hasher.putInt(secret.length()), secret);
    }
    return "spark-" + HexFormat.of().formatHex(hasher.hash().asBytes(), 0, 16);
  }

  private static Shown written(JobDescription job) {
    Shown s = Shown.of("SparkJob", 1024).add("name", job.name()).add("namespace", job.namespace())
        .add("appName", job.appName()).add("appId", job.appId())
        .add("sparkVersion", job.sparkVersion()).add("image", job.image())
        .add("application", job.application()).texts("arguments", job.arguments())
        .add("jars", job.jars()).add("files", job.files()).conf("sparkConf", job.sparkConf());
    // Driver and executor write into this text, not through strings of their own.
    job.driver().attributes(s.open("driver", "Driver")).end();
    job.executor().attributes(s.open("executor", "Executor")).end();
    return s.add("dynamicAllocation", job.dynamicAllocation())
        .add("serviceAccount", job.serviceAccount())
        .add("executorServiceAccount", job.executorServiceAccount()).add("labels", job.labels())
        .conf("annotations", job.annotations()).add("nodeSelector", job.nodeSelector())
        .add("tolerations", job.tolerations()).conf("env", job.env())
        .add("secretEnv", job.secretEnv()).add("secretVolumes", job.secretVolumes())
        .add("volumes", job.volumes()).add("imagePullPolicy", job.imagePullPolicy())
        .add("imagePullSecrets", job.imagePullSecrets())
        .add("priorityClassName", job.priorityClassName()).add("proxyUser", job.proxyUser())
        .add("sparkUser", job.sparkUser()).add("tenant", job.tenant())
        .add("restrictedSecurityContext", job.restrictedSecurityContext())
        .add("runAsUser", job.runAsUser()).add("startTimeout", job.startTimeout())
        .add("storage", job.storage()).add("eventLog", job.eventLog())
        .add("retryPolicy", job.retryPolicy()).add("retention", job.retention())
        .add("historyServerUrl", job.historyServerUrl())
        .add("gangScheduling", job.gangScheduling()).add("limits", job.limits())
        .add("networkIsolation", job.networkIsolation())
        .add("authenticationSecret", job.authenticationSecret())
        // Shown only when the client draws the key, so descriptions written before this attribute
        // keep their text and with it their derived application id.
        .add("sparkAuthentication",
            Optional.of(true).filter(t -> StorageExpansion.drawsAuthKey(job)));
  }

  private static void values(Checks c, String attribute, Map<String, String> map) {
    // The attribute's name is written only for a refused value: this runs on every build().
    map.forEach((k, v) -> {
      if (Text.refused(v, Text.Kind.MULTILINE) != null) {
        c.text(attribute + "[" + k + "]", v);
      }
    });
  }
}
