package io.sparkk8s;

import java.io.IOException;

/**
 * Where files staged for jobs from the submitting machine (their jars, Python files and data) are
 * kept, so that they go with the jobs: a client given them ({@link
 * SparkKubernetes.Builder#stagedFiles}) deletes a job's staged files when its {@link
 * io.sparkk8s.spec.Retention retention} deletes the job, and when a caller deletes it ({@link
 * SparkJobHandle#delete}), before the job's objects. A job kept by its retention keeps its files.
 *
 * <p>A job whose files cannot be deleted is kept past its retention and tried again every ten
 * seconds, as a driver whose log cannot be archived is; any client given the same staged files
 * that follows the namespace tries too, so files outlive neither a restart of the client nor a
 * failure of the store. A caller's delete goes ahead, with the failure logged (the files are left
 * for {@code DependencyStager.delete} or the store's own expiry).
 *
 * <p>The implementation is {@code DependencyStager} in {@code sparkk8s-storage} (GCS, S3, HDFS),
 * whose {@code submit} stages a job's local files under a directory of the job's own, named by
 * its namespace and job id.
 *
 * <pre>{@code
 * DependencyStager stager = DependencyStager.to(access);
 * SparkKubernetes spark = SparkKubernetes.builder().stagedFiles(stager).connect();
 * StagedJob etl = stager.submit(spark, SparkJob.builder().name("etl").namespace("spark")
 *     .retention(Retention.deleteAfter(Duration.ofHours(1))), JobFiles.jvm("com.example.Etl",
 *     "target/etl.jar"));
 * }</pre>
 */
public interface StagedFiles {
  /**
   * The label {@code DependencyStager.submit} puts on the pods of a job whose files it staged
   * (value {@code "true"}): retention asks the staged files only about jobs that carry it, so
   * deleting other jobs costs no call to the store (a caller's delete always asks). Read from the
   * cluster: a planted label makes the client ask about that job's own files, nothing else.
   */
  String LABEL = "sparkk8s.io/staged-files";

  /**
   * Which job the files are of: its namespace and job id (the application id of its first
   * attempt, which every attempt of a retried job shares). Read from the cluster, so checked as
   * {@link LogArchive.Key} is: each part a Kubernetes name, never {@code ..}, safe as a path
   * segment.
   *
   * @param namespace the job's namespace
   * @param jobId the job's id
   */
  record Key(String namespace, String jobId) {
    /** Checks each part. */
    public Key {
      KeyNames.check("StagedFiles.Key", "namespace", namespace);
      KeyNames.check("StagedFiles.Key", "jobId", jobId);
    }
  }

  /**
   * Deletes every file staged for {@code key}; does nothing when there is none, and may be called
   * again for the same key. Called on the client's timer workers, for several jobs at once:
   * thread-safe, and return promptly or fail.
   *
   * @throws IOException when the files could not be deleted: the job is then kept and the call
   *     made again later
   */
  void delete(Key key) throws IOException;
}
