package io.sparkk8s.storage.client;

import io.sparkk8s.spec.Application;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The files of a job before staging: its application resource, jars, files and Python files, each
 * a local path ({@code target/etl.jar}, {@code file:///home/me/etl.jar}) or already a remote URI
 * ({@code gs://}, {@code s3a://}, {@code hdfs://}, {@code https://}, {@code local://}), which is
 * kept as it is. A {@link io.sparkk8s.spec.SparkJob} cannot hold local files (the cluster could
 * not read them): {@link DependencyStager#stage(io.sparkk8s.spec.SparkJob.Builder, JobFiles)}
 * uploads them and writes their remote URIs into the job.
 *
 * <pre>{@code
 * JobFiles files = JobFiles.jvm("com.example.Etl", "target/etl.jar")
 *     .withJars("lib/postgres.jar", "gs://team/jars/shared.jar")
 *     .withFiles("conf/etl.conf");
 * }</pre>
 */
@Value.Immutable
public abstract class JobFiles {
  JobFiles() {}

  /** A JVM application: main class and its jar. */
  public static JobFiles jvm(String mainClass, String jar) {
    return ImmutableJobFiles.builder().kind(Application.Kind.JVM).mainClass(mainClass)
        .resource(jar).build();
  }

  /** A Python application whose primary file is {@code pythonFile}. */
  public static JobFiles python(String pythonFile) {
    return ImmutableJobFiles.builder().kind(Application.Kind.PYTHON).resource(pythonFile).build();
  }

  /** The kind of application. */
  public abstract Application.Kind kind();

  /** The main class of a JVM application. */
  public abstract Optional<String> mainClass();

  /** The primary resource: the jar or the Python file. */
  public abstract String resource();

  /** Jars for the driver's and executors' classpath ({@code spark.jars}). */
  public abstract List<String> jars();

  /** Files placed in each executor's working directory ({@code spark.files}). */
  public abstract List<String> files();

  /** Python files for a Python application ({@code spark.submit.pyFiles}). */
  public abstract List<String> pyFiles();

  /** A copy with these jars instead of the current ones. */
  public abstract JobFiles withJars(String... jars);

  /** A copy with these files instead of the current ones. */
  public abstract JobFiles withFiles(String... files);

  /** A copy with these Python files instead of the current ones. */
  public abstract JobFiles withPyFiles(String... pyFiles);
}
