package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key of a job's staged files holds only Kubernetes names, as the log archive's does: it is
 * read from the cluster and a store makes a path of it ({@code <root>/jobs/<namespace>/<jobId>}).
 */
class StagedFilesKeyTest {
  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a/b", "../etc", "a..b", "UPPER", "with space", "-lead",
      "trail-", "a\u0085b", "a\nb", "", "x\u0000"})
  void aPartThatIsNotAKubernetesNameIsRefusedWithOwnerFieldValueAndRule(String bad) {
    assertThatThrownBy(() -> new StagedFiles.Key("jobs", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("StagedFiles.Key.jobId")
        .hasMessageContaining("is not a Kubernetes name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u0085", "\u0000"));
    assertThatThrownBy(() -> new StagedFiles.Key(bad, "spark-1"))
        .hasMessageContaining("StagedFiles.Key.namespace");
  }

  @Test
  void namesAreKeptAsTheyAre() {
    StagedFiles.Key key = new StagedFiles.Key("team-a", "spark-0123abcd.2");
    assertThat(key.namespace()).isEqualTo("team-a");
    assertThat(key.jobId()).isEqualTo("spark-0123abcd.2");
    assertThatThrownBy(() -> new StagedFiles.Key(null, "x")).isInstanceOf(NullPointerException.class);
  }
}
