package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.sparkk8s.storage.MountOn;
import io.sparkk8s.storage.Volume;
import org.junit.jupiter.api.Test;

class MountVolumesStepTest {
  final MountVolumesStep step = new MountVolumesStep();

  @Test
  void mountsDriverVolumesOnly() {
    var job = Jobs.pi().addVolume(Volume.persistentVolumeClaim("data", "team-data", "/data")
            .withReadOnly(true).withSubPath("jobs"))
        .addVolume(Volume.emptyDir("shuffle", "/shuffle").withMountOn(MountOn.EXECUTORS)).build();
    var sp = Jobs.apply(step, job);
    assertThat(sp.pod().getSpec().getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("team-data");
      assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
    });
    assertThat(sp.container().getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getSubPath()).isEqualTo("jobs");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  @Test
  void onDemandClaimIsNamedAfterTheDriverAndCreated() {
    var job = Jobs.pi().addVolume(Volume.builder().name("work").type(Volume.Type.PERSISTENT_VOLUME_CLAIM)
        .mountPath("/work").putOption("claimName", "OnDemand").putOption("storageClass", "standard")
        .putOption("sizeLimit", "5Gi").build()).build();
    var ctx = DriverContext.of(job);
    String claim = ctx.names().resourcePrefix() + "-driver-pvc-0";
    assertThat(Jobs.apply(step, job).pod().getSpec().getVolumes().get(0)
        .getPersistentVolumeClaim().getClaimName()).isEqualTo(claim);
    assertThat(step.additionalResources(ctx)).singleElement().satisfies(o -> {
      var pvc = (V1PersistentVolumeClaim) o;
      assertThat(pvc.getMetadata().getName()).isEqualTo(claim);
      assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOncePod");
    });
    var spark35 = DriverContext.of(Jobs.pi().sparkVersion("3.5.6").addVolume(job.volumes().get(0)).build());
    assertThat(((V1PersistentVolumeClaim) step.additionalResources(spark35).get(0)).getSpec()
        .getAccessModes()).containsExactly("ReadWriteOnce");
  }

  @Test
  void nfsAndHostPathCarryTheirOptions() {
    var job = Jobs.pi().restrictedSecurityContext(false).addVolume(Volume.nfs("n", "nfs.local", "/exports", "/n"))
        .addVolume(Volume.hostPath("h", "/mnt/ssd", "/h")).build();
    var vols = Jobs.apply(step, job).pod().getSpec().getVolumes();
    assertThat(vols).filteredOn(v -> v.getNfs() != null).singleElement()
        .satisfies(v -> assertThat(v.getNfs().getServer()).isEqualTo("nfs.local"));
    assertThat(vols).filteredOn(v -> v.getHostPath() != null).singleElement()
        .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/mnt/ssd"));
  }
}
