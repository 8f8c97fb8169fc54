package io.sparkk8s.internal.compile;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1NFSVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.storage.NfsStorage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The shared objects a storage backend needs once per namespace, created by
 * {@code SparkKubernetes.ensureStorage} and never by a job (so deleting a job never touches them).
 * An NFS export becomes a PersistentVolume pre-bound to one claim (so no other claim can take it),
 * reclaim policy {@code Retain}, and that claim: pods mount the claim, which the {@code restricted}
 * Pod Security level allows, where an inline {@code nfs} volume is refused.
 */
public final class StorageObjects {
  public static final Map<String, String> LABELS = Map.of(
      "app.kubernetes.io/managed-by", "sparkk8s",
      "app.kubernetes.io/component", "storage");

  private StorageObjects() {}

  /** The PersistentVolume of an export, named after its namespace and claim (PVs are cluster-wide). */
  public static V1PersistentVolume nfsVolume(String namespace, NfsStorage nfs) {
    String claim = nfs.claimName();
    return new V1PersistentVolume().apiVersion("v1").kind("PersistentVolume")
        .metadata(new V1ObjectMeta().name(volumeName(namespace, claim)).labels(new java.util.TreeMap<>(LABELS))
            .putLabelsItem("sparkk8s.io/storage", nfs.name()))
        .spec(new V1PersistentVolumeSpec()
            .capacity(Map.of("storage", Quantity.fromString(nfs.capacity())))
            .accessModes(List.of("ReadWriteMany"))
            .persistentVolumeReclaimPolicy("Retain")
            .storageClassName("")
            .nfs(new V1NFSVolumeSource().server(nfs.server().orElseThrow())
                .path(nfs.exportPath().orElseThrow()))
            .claimRef(new V1ObjectReference().apiVersion("v1").kind("PersistentVolumeClaim")
                .namespace(namespace).name(claim)));
  }

  /** The claim of an export, bound to {@link #nfsVolume} by name. */
  public static V1PersistentVolumeClaim nfsClaim(String namespace, NfsStorage nfs) {
    return new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim")
        .metadata(new V1ObjectMeta().name(nfs.claimName()).namespace(namespace)
            .labels(new java.util.TreeMap<>(LABELS))
            .putLabelsItem("sparkk8s.io/storage", nfs.name()))
        .spec(new V1PersistentVolumeClaimSpec()
            .accessModes(List.of("ReadWriteMany"))
            .storageClassName("")
            .volumeName(volumeName(namespace, nfs.claimName()))
            .resources(new V1VolumeResourceRequirements()
                .requests(Map.of("storage", Quantity.fromString(nfs.capacity())))));
  }

  /**
   * {@code sparkk8s-<namespace>-<claim>} when it fits a DNS subdomain, else cut with a hash of the
   * pair so two namespaces never share a volume.
   */
  static String volumeName(String namespace, String claim) {
    String full = "sparkk8s-" + namespace + "-" + claim;
    if (full.length() <= 253) {
      return full;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((namespace + "/" + claim).getBytes(StandardCharsets.UTF_8));
      String cut = full.substring(0, 240);
      while (cut.endsWith("-") || cut.endsWith(".")) {
        cut = cut.substring(0, cut.length() - 1);
      }
      return cut + "-" + HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
