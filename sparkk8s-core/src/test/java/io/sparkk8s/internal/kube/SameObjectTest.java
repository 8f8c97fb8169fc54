package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which existing object a retried create may take as its own (see ApiRetry#create). */
class SameObjectTest {
  static V1Pod driver(String appId) {
    return new V1Pod().metadata(new V1ObjectMeta().name("pi-driver")
        .putLabelsItem("spark-role", "driver").putLabelsItem("spark-app-selector", appId));
  }

  static V1ConfigMap ownedBy(String uid) {
    return new V1ConfigMap().metadata(new V1ObjectMeta().name("pi-conf-map")
        .ownerReferences(List.of(new V1OwnerReference().kind("Pod").name("pi-driver").uid(uid))));
  }

  @Test
  void aDriverIsOursWhenItHasOurApplicationId() {
    assertThat(JobObjects.sameObject(driver("spark-1"), driver("spark-1"))).isTrue();
    assertThat(JobObjects.sameObject(driver("spark-1"), driver("spark-2"))).isFalse();
    assertThat(JobObjects.sameObject(driver("spark-1"),
        new V1Pod().metadata(new V1ObjectMeta().name("pi-driver")))).isFalse();
  }

  @Test
  void anOwnedObjectIsOursWhenOurDriverOwnsIt() {
    assertThat(JobObjects.sameObject(ownedBy("uid-1"), ownedBy("uid-1"))).isTrue();
    assertThat(JobObjects.sameObject(ownedBy("uid-1"), ownedBy("uid-2"))).isFalse();
    assertThat(JobObjects.sameObject(ownedBy("uid-1"),
        new V1ConfigMap().metadata(new V1ObjectMeta().name("pi-conf-map")))).isFalse();
  }

  @Test
  void aPodGroupMadeBeforeItsDriverIsOursWhenItHasOurApplicationId() {
    var job = io.sparkk8s.spec.SparkJob.builder().name("pi").application(
        io.sparkk8s.spec.Application.jvm("x.Y", "local:///a.jar"))
        .gangScheduling(io.sparkk8s.spec.GangScheduling.volcano());
    var ours = io.sparkk8s.SparkCompiler.compile(job.appId("spark-1").build()).preResources().get(0);
    var adopted = io.sparkk8s.SparkCompiler.compile(job.appId("spark-1").build()).preResources().get(0);
    adopted.getMetadata().setOwnerReferences(List.of(new V1OwnerReference().kind("Pod").uid("u")));
    var other = io.sparkk8s.SparkCompiler.compile(job.appId("spark-2").build()).preResources().get(0);
    assertThat(JobObjects.sameObject(ours, adopted)).isTrue();
    assertThat(JobObjects.sameObject(ours, other)).isFalse();
  }

  @Test
  void anObjectWithNeitherIsNeverTaken() {
    V1ConfigMap bare = new V1ConfigMap().metadata(new V1ObjectMeta().name("x"));
    assertThat(JobObjects.sameObject(bare, bare)).isFalse();
  }
}
