package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.StagedFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the client's deleter answers retention and a caller's delete: gone when deleted or when
 * nothing can be staged; not gone (the job is kept) when the store fails.
 */
class StagedFileDeleterTest {
  private final List<StagedFiles.Key> asked = new ArrayList<>();

  @Test
  void withoutStagedFilesEveryJobIsFreeToGo() {
    assertThat(new StagedFileDeleter(Optional.empty()).deleted("spark", "spark-1")).isTrue();
  }

  @Test
  void theJobsKeyIsDeleted() {
    StagedFileDeleter deleter = new StagedFileDeleter(Optional.of(asked::add));
    assertThat(deleter.deleted("spark", "spark-1")).isTrue();
    assertThat(asked).containsExactly(new StagedFiles.Key("spark", "spark-1"));
  }

  @Test
  void aFailingStoreKeepsTheJob() {
    StagedFiles down = key -> {
      throw new IOException("store down");
    };
    StagedFiles broken = key -> {
      throw new IllegalStateException("bug in the store's client");
    };
    assertThat(new StagedFileDeleter(Optional.of(down)).deleted("spark", "spark-1")).isFalse();
    assertThat(new StagedFileDeleter(Optional.of(broken)).deleted("spark", "spark-1")).isFalse();
  }

  @Test
  void namesNoStagerCouldUseAreNotAskedFor() {
    StagedFileDeleter deleter = new StagedFileDeleter(Optional.of(asked::add));
    assertThat(deleter.deleted("spark", "../other-team")).isTrue();
    assertThat(asked).isEmpty();
  }
}
