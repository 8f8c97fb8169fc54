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
 * {@link Manifests#cachedYaml} keeps the YAML of small objects for the next equal one: the text
 * must be what a fresh dump gives, an equal object built anew must find it, a changed object must
 * not get the old text, and the cache must stay within its bound however many distinct templates
 * a long-lived service compiles.
 */
class ManifestsYamlCacheTest {

  private static V1Pod template(String account) {
    return new V1Pod().apiVersion("v1").kind("Pod").metadata(new V1ObjectMeta().name("t"))
        .spec(new V1PodSpec().serviceAccountName(account)
            .addContainersItem(new V1Container().name("spark-kubernetes-executor")));
  }

  @Test
  void anEqualStreamGetsTheSameTextAndAChangedOneItsOwn() {
    String first = Manifests.cachedYaml(template("spark"));
    String again = Manifests.cachedYaml(template("spark"));
    String other = Manifests.cachedYaml(template("etl-runner"));
    // The same text object: an equal model built anew is a hit, not a second dump.
    assertThat(again).isSameAs(first).isEqualTo(Manifests.yaml(List.of(template("spark"))));
    assertThat(other).contains("serviceAccountName: etl-runner").doesNotContain("serviceAccountName: spark\n");
    // The text read back is the object, not just a string that happens to match.
    Object read = new Yaml().load(first);
    assertThat(read.toString()).contains("serviceAccountName=spark").contains("spark-kubernetes-executor");
  }

  @Test
  void theCacheStaysWithinItsBoundOverManyDistinctTemplates() {
    for (int i = 0; i < 20_000; i++) {
      Manifests.cachedYaml(template("account-" + i));
    }
    long chars = Manifests.cachedChars();
    assertThat(chars).isPositive().isLessThanOrEqualTo(Manifests.CACHE_CHARS_MAX);
    // The latest is still there, and correct.
    assertThat(Manifests.cachedYaml(template("account-19999"))).contains("account-19999");
  }
}
