package io.sparkk8s.storage.client;

import java.io.IOException;

/** The store said the credentials themselves are wrong (HTTP 401, unknown key, bad signature). */
final class CredentialsRejectedException extends IOException {
  private static final long serialVersionUID = 1L;

  public CredentialsRejectedException(String message) {
    super(message);
  }
}
