package io.sparkk8s.storage.client;

import java.nio.file.Path;
import org.immutables.value.Value;

/**
 * A local file staged to a backend under a content-addressed path
 * ({@code <directory>/sha256/<digest>/<file name>}).
 *
 * <pre>{@code
 * StagedFile jar = stager.stage(Path.of("target/etl.jar"));
 * SparkJob job = SparkJob.builder().name("etl").namespace("spark")
 *     .application(Application.jvm("com.example.Etl", jar.jobUri())).build();
 * }</pre>
 */
@Value.Immutable
public abstract class StagedFile {
  StagedFile() {}

  static ImmutableStagedFile.Builder builder() {
    return ImmutableStagedFile.builder();
  }

  /** The local file. */
  public abstract Path localPath();

  /** The SHA-256 digest of its content, in hex. */
  public abstract String sha256();

  /** Its size in bytes. */
  public abstract long size();

  /** Where it is, as Hadoop names it: {@code s3a://bucket/deps/sha256/<digest>/etl.jar}. */
  public abstract String uri();

  /**
   * The URI a job names it by: {@link #uri()}, or {@code local://} for mounted storage
   * ({@link io.sparkk8s.storage.StorageBackend#jobUri(String)}).
   */
  public abstract String jobUri();

  /** Whether this call uploaded it; false when the same content was already there. */
  public abstract boolean uploaded();
}
