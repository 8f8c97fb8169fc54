package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.StagedFiles;
import java.io.IOException;
import java.util.Optional;

/**
 * Deletes the files staged for a job ({@link StagedFiles}, when the client was given them) before
 * the job's objects go: retention keeps a job until its files are gone (asking only about jobs
 * {@link #labelled} so), a caller's delete goes ahead with the failure logged. Holds nothing
 * between calls.
 */
final class StagedFileDeleter {
  private final Optional<StagedFiles> staged;

  StagedFileDeleter(Optional<StagedFiles> staged) {
    this.staged = staged;
  }

  /** Whether {@code driver} carries {@link StagedFiles#LABEL}: its job's files were staged. */
  static boolean labelled(V1Pod driver) {
    return "true".equals(PodFacts.label(driver, StagedFiles.LABEL));
  }

  /**
   * Whether the files staged for job {@code jobId} of {@code ns} are gone: deleted now, or never
   * kept (no staged files given to the client; names no stager could have used). A failure is
   * logged and answers false.
   */
  boolean deleted(String ns, String jobId) {
    if (staged.isEmpty()) {
      return true;
    }
    StagedFiles.Key key;
    try {
      key = new StagedFiles.Key(ns, jobId);
    } catch (IllegalArgumentException notAName) {
      Log.LOG.debug("{}/{}: no name staged files may be kept under ({})", ns, jobId,
          notAName.getMessage());
      return true;
    }
    try {
      staged.get().delete(key);
      return true;
    } catch (IOException | RuntimeException e) {
      Log.LOG.warn("Cannot delete the files staged for {}/{} in {}", ns, jobId, staged.get(), e);
      return false;
    }
  }
}
