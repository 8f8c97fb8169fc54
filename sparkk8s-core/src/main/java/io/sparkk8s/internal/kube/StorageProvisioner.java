package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.internal.compile.StorageObjects;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.StorageBackend;
import java.util.Objects;

/** {@code SparkKubernetes.ensureStorage}: creates what a backend needs once, never deletes. */
final class StorageProvisioner {
  private final CoreV1Api core;

  StorageProvisioner(CoreV1Api core) {
    this.core = core;
  }

  void ensure(String namespace, StorageBackend backend) {
    if (!(backend instanceof NfsStorage nfs)) {
      return; // object stores and HDFS need nothing on the cluster
    }
    if (nfs.existingClaim().isPresent()) {
      String claim = nfs.existingClaim().get();
      try {
        core.readNamespacedPersistentVolumeClaim(claim, namespace).execute();
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          throw (NotFoundException) ApiErrors.of(new ApiErrors.Target("get", "PersistentVolumeClaim",
                  namespace, claim), 404, null,
              "storage '" + nfs.name() + "' mounts claim '" + claim + "', which does not exist in"
                  + " namespace '" + namespace + "'; create it (ReadWriteMany) or use an NFS export",
              e);
        }
        throw ApiErrors.translate(new ApiErrors.Target("get", "PersistentVolumeClaim", namespace, claim), e);
      }
      return;
    }
    V1PersistentVolume pv = StorageObjects.nfsVolume(namespace, nfs);
    String pvName = pv.getMetadata().getName();
    try {
      core.createPersistentVolume(pv).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw ApiErrors.translate(new ApiErrors.Target("create", "PersistentVolume", null, pvName), e);
      }
      requireSameExport(pvName, nfs);
    }
    V1PersistentVolumeClaim claim = StorageObjects.nfsClaim(namespace, nfs);
    try {
      core.createNamespacedPersistentVolumeClaim(namespace, claim).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw ApiErrors.translate(new ApiErrors.Target("create", "PersistentVolumeClaim", namespace,
            nfs.claimName()), e);
      }
    }
  }

  /** An existing volume of that name must point at the same export, or the caller is told. */
  private void requireSameExport(String pvName, NfsStorage nfs) {
    V1PersistentVolume existing;
    try {
      existing = core.readPersistentVolume(pvName).execute();
    } catch (ApiException e) {
      throw ApiErrors.translate(new ApiErrors.Target("get", "PersistentVolume", null, pvName), e);
    }
    var source = existing.getSpec() == null ? null : existing.getSpec().getNfs();
    boolean same = source != null && Objects.equals(source.getServer(), nfs.server().orElse(null))
        && Objects.equals(source.getPath(), nfs.exportPath().orElse(null));
    if (!same) {
      throw (ConflictException) ApiErrors.of(new ApiErrors.Target("create", "PersistentVolume", null, pvName),
          409, null, "PersistentVolume '" + pvName + "' exists and is not NFS export "
              + nfs.server().orElse("") + ":" + nfs.exportPath().orElse("")
              + "; name the backend differently (withName) or delete the old volume", null);
    }
  }
}
