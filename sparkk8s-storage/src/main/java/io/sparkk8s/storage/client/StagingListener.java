package io.sparkk8s.storage.client;

import java.nio.file.Path;

/**
 * Hears what the {@link DependencyStager} does with each local file. Every method has an empty
 * default; implement those you need. Called on the staging thread.
 *
 * <pre>{@code
 * StagingListener bar = new StagingListener() {
 *   public void progress(Path file, long sent, long size) {
 *     System.out.printf("%s %d%%%n", file.getFileName(), sent * 100 / size);
 *   }
 * };
 * DependencyStager stager = DependencyStager.to(access).withListener(bar);
 * }</pre>
 */
public interface StagingListener {
  /** An upload of {@code file} ({@code size} bytes) to {@code uri} starts. */
  default void started(Path file, String uri, long size) {}

  /**
   * {@code sent} of {@code size} bytes are uploaded; called for files of at least
   * {@link DependencyStager#PROGRESS_THRESHOLD} bytes, about every 1% and at the end.
   */
  default void progress(Path file, long sent, long size) {}

  /** {@code file} is already at {@code uri} (same content digest): nothing was uploaded. */
  default void skipped(Path file, String uri) {}

  /** {@code file} is uploaded to {@code uri}. */
  default void finished(Path file, String uri, long size) {}
}
