package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.storage.NfsStorage;
import org.junit.jupiter.api.Test;

class StorageObjectsTest {
  @Test
  void anExportIsARetainedVolumePreBoundToItsClaim() {
    NfsStorage nfs = NfsStorage.of("10.0.0.5", "/exports/spark").withName("team");

    var pv = StorageObjects.nfsVolume("jobs", nfs);
    var pvc = StorageObjects.nfsClaim("jobs", nfs);

    assertThat(pv.getMetadata().getName()).isEqualTo("sparkk8s-jobs-sparkk8s-nfs-team");
    assertThat(pv.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "sparkk8s")
        .containsEntry("sparkk8s.io/storage", "team");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getNfs().getServer()).isEqualTo("10.0.0.5");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("sparkk8s-nfs-team");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("jobs");
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
    assertThat(pvc.getSpec().getStorageClassName()).isEmpty();
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
  }

  @Test
  void volumeNamesOfLongNamespacesStayUniqueAndValid() {
    String a = StorageObjects.volumeName("n".repeat(63), "c".repeat(200) + "-a");
    String b = StorageObjects.volumeName("n".repeat(63), "c".repeat(200) + "-b");

    assertThat(a).hasSizeLessThanOrEqualTo(253).isNotEqualTo(b).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }
}
