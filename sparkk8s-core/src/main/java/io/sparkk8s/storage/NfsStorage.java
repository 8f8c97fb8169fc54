package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * An NFS export (or any ReadWriteMany claim) mounted into every pod at {@code
 * /mnt/sparkk8s/<name>}, which Spark reads and writes as local files ({@code file://}).
 *
 * <pre>{@code
 * // An export: the SDK defines a PersistentVolume and claim for it, created once by
 * // SparkKubernetes.ensureStorage(namespace, nfs) (which needs the right to create PVs).
 * NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark");
 * // A claim that already exists in the namespace (bound to NFS, CephFS, Filestore...).
 * NfsStorage shared = NfsStorage.claim("team-shared").withPath("spark");
 * }</pre>
 *
 * <p>Pods mount a PersistentVolumeClaim, never an inline {@code nfs} volume, so they pass the
 * {@code restricted} Pod Security level. Deleting a job never deletes the claim or the volume: the
 * volume's reclaim policy is {@code Retain}.
 */
@Value.Immutable
public abstract class NfsStorage extends StorageBackend {
  NfsStorage() {}

  /** The export {@code exportPath} of NFS server {@code server}. */
  public static NfsStorage of(String server, String exportPath) {
    return builder().server(server).exportPath(exportPath).build();
  }

  /** An existing claim in the job's namespace, shared by all pods (ReadWriteMany). */
  public static NfsStorage claim(String claimName) {
    return builder().existingClaim(claimName).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link NfsStorage}. */
  public static final class Builder extends ImmutableNfsStorage.Builder {
    Builder() {}
  }

  @Override
  @Value.Default
  public String name() {
    return "nfs";
  }

  /** The NFS server's host name or address, for an export. */
  public abstract Optional<String> server();

  /** The exported path, for an export. */
  public abstract Optional<String> exportPath();

  /** An existing claim to mount instead of an export. */
  public abstract Optional<String> existingClaim();

  /** A directory inside the mount that is this backend's root; empty for the mount's root. */
  @Value.Default
  public String path() {
    return "";
  }

  /** The capacity written on the PersistentVolume and claim of an export (NFS does not enforce it). */
  @Value.Default
  public String capacity() {
    return "100Gi";
  }

  /** A copy named {@code name}. */
  public abstract NfsStorage withName(String name);

  /** A copy rooted at {@code path} inside the mount. */
  public abstract NfsStorage withPath(String path);

  /** The claim pods mount: the existing one, or {@code sparkk8s-nfs-<name>} for an export. */
  public String claimName() {
    return existingClaim().orElse("sparkk8s-nfs-" + name());
  }

  /** Where pods mount the claim. */
  public String mountPath() {
    return MOUNT_ROOT + "/" + name();
  }

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public String rootUri() {
    return "file://" + StorageChecks.join(mountPath(), path());
  }

  /** A {@code local://} URI: the file is in every pod that mounts the claim. */
  @Override
  public String jobUri(String relativePath) {
    return "local://" + resolve(relativePath).substring("file://".length());
  }

  @Override
  public SortedMap<String, String> hadoopConf(String sparkVersion) {
    return new TreeMap<>();
  }

  @Override
  public List<String> connectorPackages(String sparkVersion) {
    return List.of();
  }

  @Override
  public List<Volume> volumes() {
    return List.of(Volume.persistentVolumeClaim("sparkk8s-" + name(), claimName(), mountPath()));
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("NfsStorage");
    StorageChecks.name(c, name());
    boolean export = server().isPresent() || exportPath().isPresent();
    if (existingClaim().isPresent()) {
      c.require(!export, "existingClaim", existingClaim().get(),
          "cannot be set together with server and exportPath; choose an export or a claim");
      c.dnsSubdomain("existingClaim", existingClaim().get());
    } else {
      c.require(server().isPresent(), "server", null,
          "is required for an export (or set existingClaim)");
      c.require(exportPath().isPresent(), "exportPath", null,
          "is required for an export (or set existingClaim)");
    }
    server().ifPresent(s -> c.require(s.matches("[A-Za-z0-9]([-A-Za-z0-9.:\\[\\]]*[A-Za-z0-9\\]])?"),
        "server", s, "must be a host name or IP address"));
    exportPath().ifPresent(p -> StorageChecks.absolutePath(c, "exportPath", p));
    StorageChecks.relativePath(c, "path", path());
    c.byteQuantity("capacity", capacity());
    c.throwIfAny();
  }
}
