package io.sparkk8s.storage.client;

import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.spec.SparkJob;
import java.util.List;
import java.util.Objects;

/**
 * A job submitted by {@link DependencyStager#submit} with the files it staged for it: the handle,
 * the job as submitted (its application, jars, files and Python files naming the staged copies),
 * the job's staging directory and each file staged there.
 *
 * <pre>{@code
 * StagedJob etl = stager.submit(spark, SparkJob.builder().name("etl").namespace("spark"),
 *     JobFiles.jvm("com.example.Etl", "target/etl.jar"));
 * etl.files().forEach(f -> log.info("{} -> {}", f.localPath(), f.uri()));
 * etl.handle().awaitCompletion(Duration.ofHours(1));
 * }</pre>
 */
public final class StagedJob {
  private final SparkJob job;
  private final String directory;
  private final List<StagedFile> files;
  private final SparkJobHandle handle;

  StagedJob(SparkJob job, String directory, List<StagedFile> files, SparkJobHandle handle) {
    this.job = Objects.requireNonNull(job, "job");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.files = List.copyOf(files);
    this.handle = handle;
  }

  /** The same staging, submitted as {@code handle}. */
  StagedJob submitted(SparkJobHandle handle) {
    return new StagedJob(job, directory, files, Objects.requireNonNull(handle, "handle"));
  }

  /** The submitted job's handle. */
  public SparkJobHandle handle() {
    return handle;
  }

  /** The job as submitted, with the staged files' URIs and its job id as {@code appId}. */
  public SparkJob job() {
    return job;
  }

  /**
   * The job's staging directory, as Hadoop names it ({@code
   * s3a://bucket/sparkk8s-deps/jobs/<namespace>/<job id>}): deleted with the job.
   */
  public String directory() {
    return directory;
  }

  /** Each local file staged, in the order of application, Python files, jars and files. */
  public List<StagedFile> files() {
    return files;
  }

  /** How many bytes were staged in all (those already there included). */
  public long bytes() {
    return files.stream().mapToLong(StagedFile::size).sum();
  }

  @Override
  public String toString() {
    return "StagedJob(" + job.namespace() + "/" + job.name() + ", " + files.size() + " files, "
        + bytes() + " bytes in " + directory + ")";
  }
}
