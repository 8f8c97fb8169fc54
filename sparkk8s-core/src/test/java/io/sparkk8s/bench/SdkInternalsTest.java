package io.sparkk8s.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.SparkKubernetes;
import org.junit.jupiter.api.Test;

/** The benchmark reads the client's watches by reflection: a moved field fails here, not mid-run. */
class SdkInternalsTest {
  @Test
  void readsTheWatchesOfAClientThatHasNone() {
    try (SparkKubernetes spark = SparkKubernetes.using(new ApiClient())) {
      assertThat(SdkInternals.watches(spark)).isEqualTo(new SdkInternals.Watches(0, 0, true));
    }
  }
}
