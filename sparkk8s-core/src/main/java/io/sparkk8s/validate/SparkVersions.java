package io.sparkk8s.validate;

/** The Spark version descriptions default to, for the descriptions and the storage they use. */
public final class SparkVersions {
  /** The Spark version of a description that names none; {@code SparkJob.DEFAULT_SPARK_VERSION}. */
  public static final String DEFAULT = "4.1.1";

  private SparkVersions() {
  }
}
