package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Secret;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.SparkAuthStep;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SparkAuthKeysTest {

  private static String keyIn(JsonObject json) {
    return new String(Base64.getDecoder().decode(json.getAsJsonObject("data").get("secret").getAsString()),
        StandardCharsets.UTF_8);
  }

  @Test
  void theRequestGetsAFreshKeyAndTheCompiledSecretKeepsNone() {
    V1Secret compiled = SparkAuthStep.unfilled("job-0123456789ab-auth");
    compiled.getMetadata().namespace("data");
    JsonObject first = Manifests.pruned(compiled);
    SparkAuthKeys.fill(compiled, first);
    JsonObject second = Manifests.pruned(compiled);
    SparkAuthKeys.fill(compiled, second);
    assertThat(keyIn(first)).matches("[0-9a-f]{64}");
    assertThat(keyIn(second)).matches("[0-9a-f]{64}").isNotEqualTo(keyIn(first));
    assertThat(compiled.getData()).isNullOrEmpty();
    assertThat(SparkAuthStep.wantsKey(compiled)).isTrue();
  }

  @Test
  void otherObjectsAndSecretsWithAKeyAreSentAsCompiled() {
    V1Secret filled = SparkAuthStep.unfilled("s").putDataItem("secret",
        "mine".getBytes(StandardCharsets.UTF_8));
    V1Secret unmarked = new V1Secret().apiVersion("v1").kind("Secret")
        .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("plain"));
    V1ConfigMap cm = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("cm"));
    for (var o : java.util.List.of(filled, unmarked, cm)) {
      JsonObject json = Manifests.pruned(o);
      JsonObject before = json.deepCopy();
      SparkAuthKeys.fill(o, json);
      assertThat(json).as(o.getMetadata().getName()).isEqualTo(before);
    }
  }
}
