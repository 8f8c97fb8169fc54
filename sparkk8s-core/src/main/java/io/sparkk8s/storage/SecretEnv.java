package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import org.immutables.value.Value;

/**
 * An environment variable whose value is read from a key of a Kubernetes Secret when the pod
 * starts ({@code spark.kubernetes.[driver|executor].secretKeyRef.*}). The value never passes
 * through the SDK.
 *
 * <pre>{@code
 * SecretEnv token = SecretEnv.of("API_TOKEN", "etl-credentials", "token");
 * }</pre>
 */
@Value.Immutable
public abstract class SecretEnv {
  SecretEnv() {}

  /** Variable {@code envName} from key {@code key} of Secret {@code secretName}, on all pods. */
  public static SecretEnv of(String envName, String secretName, String key) {
    return ImmutableSecretEnv.builder().envName(envName).secretName(secretName).key(key).build();
  }

  /** The variable's name. */
  public abstract String envName();

  /** The Secret's name, in the job's namespace. */
  public abstract String secretName();

  /** The key in the Secret. */
  public abstract String key();

  /** Which pods get the variable; all by default. */
  @Value.Default
  public MountOn mountOn() {
    return MountOn.ALL;
  }

  /** A copy set on other pods. */
  public abstract SecretEnv withMountOn(MountOn mountOn);

  @Value.Check
  void check() {
    Checks c = Checks.of("SecretEnv");
    c.envName("secretEnv.envName", envName());
    c.dnsSubdomain("secretEnv.secretName", secretName());
    c.secretKey("secretEnv.key", key());
    c.throwIfAny();
  }
}
