package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code submit()} reads back from a create: the metadata it uses (uid, owners, labels,
 * annotations) must come through exactly; the rest of the response is skipped.
 */
class ObjectHeadTest {

  @Test
  void aCreatedDriverGivesItsNameUidLabelsAndAnnotations() {
    V1Pod driver = CachedPodsTest.pods().get(1);
    ObjectHead head = JSON.deserialize(JSON.serialize(driver), ObjectHead.class);
    V1ObjectMeta meta = head.getMetadata();
    assertThat(head.getKind()).isEqualTo("Pod");
    assertThat(meta.getName()).isEqualTo(driver.getMetadata().getName());
    assertThat(meta.getUid()).isEqualTo("8f14e45f-ceea-467e-9b1a-5c0a3d2f2b11");
    assertThat(meta.getLabels()).isEqualTo(driver.getMetadata().getLabels()).containsKey("spark-app-selector");
    assertThat(meta.getAnnotations()).isEqualTo(driver.getMetadata().getAnnotations());
    assertThat(meta.getManagedFields()).isNullOrEmpty();
  }

  @Test
  void anOwnedObjectGivesItsOwnersForTheRetriedCreatesCheck() {
    V1OwnerReference owner = new V1OwnerReference().apiVersion("v1").kind("Pod").name("pi-driver")
        .uid("u-1").controller(true);
    V1ConfigMap cm = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(new V1ObjectMeta().name("pi-conf").namespace("jobs").ownerReferences(List.of(owner)))
        .data(Map.of("spark.properties", "spark.app.name=pi\n"));
    ObjectHead head = JSON.deserialize(JSON.serialize(cm), ObjectHead.class);
    assertThat(head.getMetadata().getOwnerReferences()).containsExactly(owner);
    V1ConfigMap ours = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(new V1ObjectMeta().name("pi-conf").namespace("jobs"));
    assertThat(JobObjects.sameObject(ours, owner, head)).isTrue();
    assertThat(JobObjects.sameObject(ours, owner.uid("u-2"), head)).isFalse();
  }
}
