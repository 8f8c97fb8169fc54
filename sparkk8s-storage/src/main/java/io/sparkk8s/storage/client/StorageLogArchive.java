package io.sparkk8s.storage.client;

import io.sparkk8s.LogArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Driver logs kept in a storage backend (GCS, S3, HDFS, or NFS through a local mount), under
 * {@code <root>/<directory>/<namespace>/<driverPodName>/<appId>.log}: beside the event logs when
 * the backend is the one the jobs log events to, so a job's two records of what happened stay
 * together. Give it to a client with {@code SparkKubernetes.builder().driverLogArchive(archive)}.
 *
 * <pre>{@code
 * StorageAccess gcs = StorageAccess.of(GcsStorage.of("team-logs"));
 * try (StorageLogArchive archive = StorageLogArchive.to(gcs);
 *      SparkKubernetes spark = SparkKubernetes.builder().driverLogArchive(archive).connect()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>A log is copied to a temporary local file first, then uploaded in one piece: on GCS and S3
 * an object appears whole or not at all. On HDFS and NFS a reader in another process can see a
 * log while it is being written, and a log written again is deleted before its new copy is
 * uploaded. One connection to the store serves every call; close the archive
 * after the client. Expire old logs with the store's own rules (a bucket lifecycle rule).
 */
public final class StorageLogArchive implements LogArchive, AutoCloseable {
  /** The default directory under the backend's root. */
  public static final String DEFAULT_DIRECTORY = "sparkk8s-driver-logs";

  private final StorageAccess access;
  private final String directory;
  private Store store;

  private StorageLogArchive(StorageAccess access, String directory) {
    this.access = Objects.requireNonNull(access, "access");
    this.directory = directory;
  }

  /** An archive under {@value #DEFAULT_DIRECTORY} of {@code access}'s backend. */
  public static StorageLogArchive to(StorageAccess access) {
    return new StorageLogArchive(access, DEFAULT_DIRECTORY);
  }

  /**
   * A copy writing under {@code directory} instead (relative to the backend's root; for example
   * the event log directory's parent).
   */
  public StorageLogArchive withDirectory(String directory) {
    if (!directory.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") || directory.contains("..")) {
      throw new IllegalArgumentException("StorageLogArchive directory '" + directory
          + "' must be a relative path of [A-Za-z0-9._-] segments without '..'");
    }
    return new StorageLogArchive(access, directory);
  }

  private String uri(Key key) {
    return access.clientUri(access.backend().resolve(directory + "/" + key.relativePath()));
  }

  private synchronized Store store() throws IOException {
    if (store == null) {
      store = access.openStore();
    }
    return store;
  }

  @Override
  public void write(Key key, InputStream log) throws IOException {
    String uri = uri(key);
    Path spool = Files.createTempFile("sparkk8s-driver-log-", ".log");
    try {
      Files.copy(log, spool, StandardCopyOption.REPLACE_EXISTING);
      if (contains(key)) {
        store().delete(uri); // the upload renames into place and never over an existing file
      }
      store().upload(spool, uri, sent -> { });
    } catch (IOException | RuntimeException e) {
      throw new IOException(Failures.translate(access.backend().name(), uri, e).getMessage(), e);
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  @Override
  public boolean contains(Key key) throws IOException {
    Store.Entry e = store().stat(uri(key));
    return e != null && !e.directory();
  }

  @Override
  public Optional<InputStream> open(Key key) throws IOException {
    String uri = uri(key);
    if (!contains(key)) {
      return Optional.empty();
    }
    return Optional.of(store().open(uri, 0));
  }

  @Override
  public synchronized void close() throws IOException {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Override
  public String toString() {
    return "StorageLogArchive(" + access.backend().resolve(directory) + ")";
  }
}
