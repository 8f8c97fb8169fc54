package io.sparkk8s.storage.client;

import com.google.cloud.storage.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;

/** Cloud Storage errors as the IOExceptions the other stores throw, so one translation serves all. */
final class GcsErrors {
  private GcsErrors() {}

  static IOException io(StorageException e) {
    String msg = "HTTP " + e.getCode() + " " + e.getMessage();
    IOException out = switch (e.getCode()) {
      case 404 -> new FileNotFoundException(msg);
      case 401 -> new CredentialsRejectedException(msg);
      case 403 -> new AccessDeniedException(msg);
      default -> new IOException(msg);
    };
    out.initCause(e);
    return out;
  }
}
