package io.sparkk8s.storage.client;

import io.sparkk8s.storage.client.StorageException.Reason;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/**
 * One translation of every store's failures (Hadoop, S3A, HDFS RPC, Cloud Storage) into a
 * {@link StorageException} naming backend, location and cause.
 */
final class Failures {
  private Failures() {}

  /** {@code t} as a StorageException about {@code location} of {@code backend}. */
  public static StorageException translate(String backend, String location, Throwable t) {
    if (t instanceof StorageException se) {
      return se;
    }
    return new StorageException(backend, location, reason(t), summary(t), t);
  }

  static Reason reason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String name = c.getClass().getName();
      String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof CredentialsRejectedException || msg.contains("signaturedoesnotmatch")
          || msg.contains("invalidaccesskeyid") || msg.contains("the access key id you provided")
          || msg.contains("signature we calculated does not match")
          // versitygw answers an unknown key with 404 XAdminUserNotFound (AWS: 403 InvalidAccessKeyId).
          || msg.contains("no user exists with the provided access key")) {
        return Reason.BAD_CREDENTIALS;
      }
      if (c instanceof FileNotFoundException || name.endsWith(".UnknownStoreException")
          || msg.contains("nosuchbucket") || msg.contains("bucket does not exist")) {
        return Reason.NOT_FOUND;
      }
      if (c instanceof AccessDeniedException || name.endsWith(".AccessControlException")
          || msg.contains("accessdenied") || msg.contains("permission denied")) {
        return Reason.FORBIDDEN;
      }
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException
          || name.endsWith("ConnectTimeoutException") || name.endsWith("HttpHostConnectException")
          || msg.contains("connection refused") || msg.contains("unable to execute http request")) {
        return Reason.UNREACHABLE;
      }
      if (c instanceof EOFException && t instanceof java.io.IOException) {
        return Reason.INVALID_DATA;
      }
    }
    return Reason.IO;
  }

  /** The first line of the deepest useful message: stores nest the same error several times. */
  static String summary(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(t);
    String bottom = firstLine(root);
    return top.equals(bottom) || top.contains(bottom) ? top : top + " (caused by " + bottom + ")";
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
