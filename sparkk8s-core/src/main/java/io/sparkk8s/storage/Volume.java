package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * A volume mounted into the driver, the executors or both, compiled to Spark's
 * {@code spark.kubernetes.[driver|executor].volumes.[type].[name].*} conf so that executors get it
 * from Spark itself (no webhook needed).
 *
 * <pre>{@code
 * Volume data = Volume.persistentVolumeClaim("data", "team-data", "/data").withReadOnly(true);
 * Volume scratch = Volume.emptyDir("scratch", "/scratch").withMountOn(MountOn.EXECUTORS);
 * }</pre>
 */
@Value.Immutable
public abstract class Volume {
  Volume() {}

  /** The kinds of volume Spark mounts from conf. */
  public enum Type {
    HOST_PATH("hostPath"),
    EMPTY_DIR("emptyDir"),
    NFS("nfs"),
    PERSISTENT_VOLUME_CLAIM("persistentVolumeClaim");

    private final String sparkName;

    Type(String sparkName) {
      this.sparkName = sparkName;
    }

    /** The type as it appears in Spark's conf keys, for example {@code persistentVolumeClaim}. */
    public String sparkName() {
      return sparkName;
    }
  }

  /** A builder, for options the factories do not cover. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link Volume}. */
  public static final class Builder extends ImmutableVolume.Builder {
    Builder() {}
  }

  /** A directory of the node. Not allowed by the {@code restricted} Pod Security level. */
  public static Volume hostPath(String name, String hostPath, String mountPath) {
    return builder().name(name).type(Type.HOST_PATH).mountPath(mountPath)
        .putOption("path", hostPath).build();
  }

  /** A scratch directory that lives as long as the pod. */
  public static Volume emptyDir(String name, String mountPath) {
    return builder().name(name).type(Type.EMPTY_DIR).mountPath(mountPath).build();
  }

  /**
   * An NFS export mounted directly. Not allowed by the {@code restricted} Pod Security level: with
   * {@link io.sparkk8s.spec.SparkJob#restrictedSecurityContext()} on, mount it through a
   * persistentVolumeClaim.
   */
  public static Volume nfs(String name, String server, String exportPath, String mountPath) {
    return builder().name(name).type(Type.NFS).mountPath(mountPath)
        .putOption("server", server).putOption("path", exportPath).build();
  }

  /** An existing PersistentVolumeClaim. */
  public static Volume persistentVolumeClaim(String name, String claimName, String mountPath) {
    return builder().name(name).type(Type.PERSISTENT_VOLUME_CLAIM).mountPath(mountPath)
        .putOption("claimName", claimName).build();
  }

  /** The volume's name in the pod spec. */
  public abstract String name();

  /** The kind of volume. */
  public abstract Type type();

  /** Where the volume is mounted in the containers. */
  public abstract String mountPath();

  /** Whether the mount is read-only. */
  @Value.Default
  public boolean readOnly() {
    return false;
  }

  /** A sub-path of the volume to mount instead of its root. */
  public abstract Optional<String> subPath();

  /** Which pods mount the volume; all of them by default. */
  @Value.Default
  public MountOn mountOn() {
    return MountOn.ALL;
  }

  /**
   * The volume's options as Spark names them ({@code path}, {@code type}, {@code server},
   * {@code claimName}, {@code medium}, {@code sizeLimit}, {@code storageClass}).
   */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> options();

  /** A copy mounted read-only or not. */
  public abstract Volume withReadOnly(boolean readOnly);

  /** A copy mounted on other pods. */
  public abstract Volume withMountOn(MountOn mountOn);

  /** A copy mounting this sub-path. */
  public abstract Volume withSubPath(String subPath);

  @Value.Check
  void check() {
    String at = "volume[" + name() + "]";
    Checks c = Checks.of("Volume");
    c.dnsLabel("volume.name", name(), Checks.DNS1123_LABEL_MAX);
    c.mountPath(at + ".mountPath", mountPath());
    subPath().ifPresent(p -> c.line(at + ".subPath", p));
    options().forEach((k, v) -> {
      c.line(at + ".options", k);
      c.line(at + ".options." + k, v);
    });
    subPath().ifPresent(p -> c.require(!p.startsWith("/") && !p.contains(".."),
        at + ".subPath", p, "must be a relative path without '..'"));
    options().forEach((k, v) -> c.require(!v.isEmpty() && !v.contains(","), at + ".options." + k,
        v, "must be non-empty and contain no ','"));
    switch (type()) {
      case HOST_PATH -> requireAbsolute(c, at, "path");
      case NFS -> {
        c.require(options().containsKey("server"), at + ".options.server", null,
            "is required for an nfs volume");
        requireAbsolute(c, at, "path");
      }
      case PERSISTENT_VOLUME_CLAIM -> {
        String claim = options().get("claimName");
        if (claim == null) {
          c.fail(at + ".options.claimName", null, "is required for a persistentVolumeClaim volume");
        } else if (!claim.equals("OnDemand") && !claim.contains("SPARK_EXECUTOR_ID")) {
          c.dnsSubdomain(at + ".options.claimName", claim);
        }
        Optional.ofNullable(options().get("sizeLimit"))
            .ifPresent(s -> c.byteQuantity(at + ".options.sizeLimit", s));
      }
      case EMPTY_DIR -> {
        Optional.ofNullable(options().get("sizeLimit"))
            .ifPresent(s -> c.byteQuantity(at + ".options.sizeLimit", s));
        Optional.ofNullable(options().get("medium")).ifPresent(m -> c.require(m.equals("Memory"),
            at + ".options.medium", m, "must be Memory or unset (node disk)"));
      }
    }
    c.throwIfAny();
  }

  private void requireAbsolute(Checks c, String at, String option) {
    String p = options().get(option);
    if (p == null) {
      c.fail(at + ".options." + option, null, "is required for a " + type().sparkName() + " volume");
    } else {
      // No '..': a node path is checked (and allowed by admission policies) as written.
      c.absolutePath(at + ".options." + option, p);
    }
  }
}
