package io.sparkk8s.exception;

/**
 * The root of every exception the SDK throws. It is unchecked: callers catch the subtype they can
 * act on ({@link InvalidDescriptionException} for a description that cannot be built) and let the
 * rest propagate.
 *
 * <pre>{@code
 * try {
 *   SparkJob job = SparkJob.builder().name("Nightly ETL").build();
 * } catch (InvalidDescriptionException e) {
 *   e.problems().forEach(p -> log.warn("{}", p));
 * }
 * }</pre>
 */
public class SparkK8sException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public SparkK8sException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public SparkK8sException(String message, Throwable cause) {
    super(message, cause);
  }
}
