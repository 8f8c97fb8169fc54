package io.sparkk8s.storage.client;

import io.sparkk8s.exception.SparkK8sException;

/**
 * A storage backend could not be used: it names the backend, the location and the cause, and
 * {@link #reason()} says what to fix.
 *
 * <pre>{@code
 * try {
 *   access.check();
 * } catch (StorageException e) {
 *   if (e.reason() == StorageException.Reason.BAD_CREDENTIALS) { askForNewKeys(); }
 *   throw e;
 * }
 * }</pre>
 *
 * <p>Messages never hold a credential.
 */
public class StorageException extends SparkK8sException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that act differently on each. */
  public enum Reason {
    /** The bucket, path or file does not exist. */
    NOT_FOUND,
    /** The credentials are valid but lack a permission. */
    FORBIDDEN,
    /** The store rejected the credentials themselves (unknown key, wrong secret). */
    BAD_CREDENTIALS,
    /** The store (endpoint, namenode) could not be reached. */
    UNREACHABLE,
    /** The data is not what was expected (for example a corrupt event log). */
    INVALID_DATA,
    /** Any other I/O failure. */
    IO
  }

  private final String backend;
  private final String location;
  private final Reason reason;

  /** An exception about {@code location} of backend {@code backend}. */
  public StorageException(String backend, String location, Reason reason, String cause,
      Throwable throwable) {
    super("storage backend '" + backend + "' at " + location + ": " + describe(reason) + ": "
        + cause, throwable);
    this.backend = backend;
    this.location = location;
    this.reason = reason;
  }

  /** The backend's {@link io.sparkk8s.storage.StorageBackend#name() name}. */
  public String backend() {
    return backend;
  }

  /** The URI the operation was about. */
  public String location() {
    return location;
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  private static String describe(Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> "not found";
      case FORBIDDEN -> "permission denied";
      case BAD_CREDENTIALS -> "credentials rejected";
      case UNREACHABLE -> "unreachable";
      case INVALID_DATA -> "invalid data";
      case IO -> "I/O error";
    };
  }
}
