package io.sparkk8s.conformance.reference;

/**
 * Spark's own submission code failed: most often Spark rejects the command line, as
 * {@code spark-submit} would (a reserved label, {@code spark.driver.host} set, no container image,
 * an unknown option...).
 *
 * <p>The cause is Spark's exception itself. Its class lives in Spark's isolated class loader, so
 * match on {@link #sparkExceptionClass()} and the message, not with {@code instanceof}:
 * <pre>{@code
 * assertThatThrownBy(() -> SparkReference.spark4().submit(args, appId))
 *     .isInstanceOf(SparkReferenceException.class)
 *     .hasMessageContaining("Label with key spark-role is not allowed");
 * }</pre>
 */
public final class SparkReferenceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String sparkVersion;
  private final String sparkExceptionClass;

  SparkReferenceException(String sparkVersion, Throwable sparkFailure) {
    super("Spark " + sparkVersion + " failed to submit: " + sparkFailure, sparkFailure);
    this.sparkVersion = sparkVersion;
    this.sparkExceptionClass = sparkFailure.getClass().getName();
  }

  public String sparkVersion() {
    return sparkVersion;
  }

  /** The class name of the exception Spark threw, e.g. {@code org.apache.spark.SparkException}. */
  public String sparkExceptionClass() {
    return sparkExceptionClass;
  }
}
