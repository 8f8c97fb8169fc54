package io.sparkk8s.spec;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names of a job's objects. Spark draws them at random on every submission
 * ({@code KubernetesConf.getResourceNamePrefix}: app name plus 6 random hex digits plus the
 * clock); the SDK derives them from the job's identity instead, so a retried submit names the same
 * objects and is recognised. The prefix is the job name cut to {@value #NAME_PART_MAX} characters,
 * then {@code -} and {@value #UNIQUE_ID_LENGTH} hex digits of a hash of namespace, full name and
 * application id: two long names that share their first characters still differ, and every name
 * derived from the prefix fits Kubernetes' limits (the executor pod name prefix at most 47, as
 * Spark requires; the Service name at most 63). A leading digit becomes {@code x}, as in Spark's
 * {@code getResourceNamePrefix}, since a Service name must start with a letter.
 *
 * @param appId the application id ({@code spark-} and 32 hex digits unless the job sets one)
 * @param uniqueId the hash part every name ends its prefix with
 * @param resourcePrefix the prefix of every name, and the executor pods' name prefix
 * @param driverPodName the driver pod
 * @param driverServiceName the driver's headless Service, which executors reach it by
 * @param configMapName the ConfigMap holding the driver's {@code spark.properties}
 * @param podTemplateConfigMapName the ConfigMap holding the executors' pod template
 * @param appNameLabel the {@code spark-app-name} label value (the app name as a label value)
 */
public record JobNames(
    String appId,
    String uniqueId,
    String resourcePrefix,
    String driverPodName,
    String driverServiceName,
    String configMapName,
    String podTemplateConfigMapName,
    String appNameLabel) {

  /** Length of the hash part of every name. */
  public static final int UNIQUE_ID_LENGTH = 12;
  /** Spark's limit on {@code spark.kubernetes.executor.podNamePrefix}. */
  public static final int EXECUTOR_PREFIX_MAX = 47;
  /** Longest part of the job name kept in object names. */
  public static final int NAME_PART_MAX = EXECUTOR_PREFIX_MAX - UNIQUE_ID_LENGTH - 1;

  /**
   * The Secret of the key the client draws for Spark's authentication: at most 52 characters, so
   * its volume ({@code <name>-volume}) stays a DNS label.
   */
  public String authSecretName() {
    return resourcePrefix + "-auth";
  }

  /** Names for this job. Pure: the same job always gives the same names. */
  public static JobNames of(JobDescription job) {
    String appId = job.sparkAppId();
    // The hash of "namespace/name/appId", its parts fed in turn (no joined copy).
    Hasher hasher = Hashing.sha256().newHasher();
    Utf8Bytes.put(hasher, job.namespace()).putByte((byte) '/');
    Utf8Bytes.put(hasher, job.name()).putByte((byte) '/');
    String uniqueId = hex(Utf8Bytes.put(hasher, appId).hash(), UNIQUE_ID_LENGTH);
    String namePart = job.name().length() <= NAME_PART_MAX
        ? job.name() : trimDashes(job.name().substring(0, NAME_PART_MAX));
    // The Service name must be a DNS-1035 label (starting with a letter), so a leading digit
    // becomes 'x', as in Spark's KubernetesConf.getResourceNamePrefix; the hash keeps it unique.
    if (!namePart.isEmpty() && namePart.charAt(0) >= '0' && namePart.charAt(0) <= '9') {
      namePart = "x" + namePart.substring(1);
    }
    String prefix = namePart + "-" + uniqueId;
    return new JobNames(
        appId,
        uniqueId,
        prefix,
        prefix + "-driver",
        prefix + "-driver-svc",
        "spark-drv-" + uniqueId + "-conf-map",
        prefix + "-driver-podspec-conf-map",
        appNameLabel(job.sparkAppName()));
  }

  /**
   * The {@code spark-app-name} label value, computed as Spark's
   * {@code KubernetesConf.getAppNameLabel} does (lowercase, anything outside {@code [a-z0-9-]}
   * turned to '-', runs of '-' collapsed, cut to 63), then with leading and trailing '-' removed:
   * Spark keeps them, and the API server rejects such a label ("My job!" gives "my-job-").
   */
  static String appNameLabel(String appName) {
    String lower = appName.trim().toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(Math.min(lower.length(), 64));
    for (int i = 0; i < lower.length() && sb.length() < 63; i++) {
      char c = lower.charAt(i);
      boolean kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      // Anything else is '-', and a run of them one '-'.
      if (kept) {
        sb.append(c);
      } else if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '-') {
        sb.append('-');
      }
    }
    int from = 0;
    int to = sb.length();
    while (from < to && sb.charAt(from) == '-') {
      from++;
    }
    while (to > from && sb.charAt(to - 1) == '-') {
      to--;
    }
    return sb.substring(from, to);
  }

  private static String trimDashes(String s) {
    int end = s.length();
    while (end > 1 && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(0, end);
  }

  /** The first {@code digits} hex digits of the hash (an even number), lowercase. */
  private static String hex(HashCode hash, int digits) {
    return HexFormat.of().formatHex(hash.asBytes(), 0, digits / 2);
  }
}
