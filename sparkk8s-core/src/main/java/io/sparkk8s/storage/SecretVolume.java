package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import org.immutables.value.Value;

/**
 * A Kubernetes Secret mounted as files ({@code spark.kubernetes.[driver|executor].secrets.*}):
 * each key becomes a file under the mount path. The way to give a job a credential file, such as a
 * GCP service-account key, without its content ever passing through conf, args or env.
 *
 * <pre>{@code
 * SecretVolume key = SecretVolume.of("gcs-key", "/var/secrets/gcs");
 * }</pre>
 */
@Value.Immutable
public abstract class SecretVolume {
  SecretVolume() {}

  /** Secret {@code secretName} mounted at {@code mountPath} on all pods. */
  public static SecretVolume of(String secretName, String mountPath) {
    return ImmutableSecretVolume.builder().secretName(secretName).mountPath(mountPath).build();
  }

  /** The Secret's name, in the job's namespace. */
  public abstract String secretName();

  /** The directory its keys appear in. */
  public abstract String mountPath();

  /** Which pods mount it; all by default. */
  @Value.Default
  public MountOn mountOn() {
    return MountOn.ALL;
  }

  /** A copy mounted on other pods. */
  public abstract SecretVolume withMountOn(MountOn mountOn);

  @Value.Check
  void check() {
    Checks c = Checks.of("SecretVolume");
    // Spark names the volume "<secret>-volume", which must be a DNS-1123 label.
    c.dnsLabel("secretVolume.secretName", secretName(), Checks.DNS1123_LABEL_MAX - "-volume".length());
    c.mountPath("secretVolume.mountPath", mountPath());
    c.throwIfAny();
  }
}
