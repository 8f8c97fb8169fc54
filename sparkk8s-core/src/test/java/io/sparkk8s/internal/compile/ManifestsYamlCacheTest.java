package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link Manifests#yaml} keeps the YAML of small streams for the next equal one: the text must be
 * what a fresh dump gives, a changed object must not get the old text, and the cache must stay
 * within its bound however many distinct templates a long-lived service compiles.
 */
class ManifestsYamlCacheTest {

  private static V1Pod template(String account) {
    return new V1Pod().apiVersion("v1").kind("Pod").metadata(new V1ObjectMeta().name("t"))
        .spec(new V1PodSpec().serviceAccountName(account)
            .addContainersItem(new V1Container().name("spark-kubernetes-executor")));
  }

  @Test
  void anEqualStreamGetsTheSameTextAndAChangedOneItsOwn() {
    String first = Manifests.yaml(List.of(template("spark")));
    String again = Manifests.yaml(List.of(template("spark")));
    String other = Manifests.yaml(List.of(template("etl-runner")));
    assertThat(again).isEqualTo(first);
    assertThat(other).contains("serviceAccountName: etl-runner").doesNotContain("serviceAccountName: spark\n");
    // The text read back is the object, not just a string that happens to match.
    Object read = new Yaml().load(first);
    assertThat(read.toString()).contains("serviceAccountName=spark").contains("spark-kubernetes-executor");
  }

  @Test
  void theCacheStaysWithinItsBoundOverManyDistinctTemplates() {
    for (int i = 0; i < 20_000; i++) {
      Manifests.yaml(List.of(template("account-" + i)));
    }
    long chars = Manifests.cachedChars();
    assertThat(chars).isPositive().isLessThanOrEqualTo(Manifests.CACHE_CHARS_MAX);
    // The latest is still there, and correct.
    assertThat(Manifests.yaml(List.of(template("account-19999")))).contains("account-19999");
  }
}
