package io.sparkk8s.storage.client;

import io.sparkk8s.storage.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists the applications in a Spark event log directory on any backend, reading Spark's own event
 * log format (single files, {@code .inprogress}, rolling {@code eventlog_v2_*} directories, and
 * {@code lz4}, {@code lzf}, {@code snappy} and {@code zstd} compression) without a History Server.
 *
 * <pre>{@code
 * EventLog log = EventLog.to(HdfsStorage.of("hdfs://namenode:8020", "/spark"));
 * try (EventLogReader reader = EventLogReader.open(StorageAccess.of(log.backend()))) {
 *   List<ApplicationSummary> apps = reader.applications(log);
 * }
 * }</pre>
 *
 * <p>Only what is needed is read: the head of a log up to the application's start, and its tail
 * for the end (seeking on an uncompressed file; a compressed one is decompressed once, without
 * parsing anything but the few events of interest). A log that cannot be read (corrupt, truncated
 * at its start) is skipped, as the History Server skips it; a directory that cannot be listed
 * fails with a {@link StorageException}.
 */
public final class EventLogReader implements AutoCloseable {
  private final StorageAccess access;
  private final Store store;

  private EventLogReader(StorageAccess access, Store store) {
    this.access = access;
    this.store = store;
  }

  /** A reader for {@code access}'s backend; close it to release its connections. */
  public static EventLogReader open(StorageAccess access) {
    try {
      return new EventLogReader(access, access.openStore());
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(access.backend().name(), access.backend().rootUri(), e);
    }
  }

  /** The applications in {@code log}'s directory (its backend must be this reader's). */
  public List<ApplicationSummary> applications(EventLog log) {
    if (!log.backend().equals(access.backend())) {
      throw new IllegalArgumentException("the event log is on backend '" + log.backend().name()
          + "', this reader reads '" + access.backend().name() + "'");
    }
    return applications(log.directory());
  }

  /** The applications in the {@link EventLog#DEFAULT_DIRECTORY default} directory. */
  public List<ApplicationSummary> applications() {
    return applications(EventLog.DEFAULT_DIRECTORY);
  }

  /**
   * The applications in {@code directory} (relative to the backend's root), newest start first.
   *
   * @throws StorageException when the directory cannot be listed (missing, forbidden, unreachable)
   */
  public List<ApplicationSummary> applications(String directory) {
    String dir = access.clientUri(access.backend().resolve(directory));
    List<Store.Entry> entries;
    try {
      entries = store.list(dir);
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(access.backend().name(), dir, e);
    }
    List<ApplicationSummary> apps = new ArrayList<>();
    for (Store.Entry e : entries) {
      try {
        EventLogs.read(store, e).ifPresent(apps::add);
      } catch (IOException | UncheckedIOException ex) {
        // As the History Server does: one unreadable log does not hide the others.
        EventLogs.LOG.warn("skipping event log {}: {}", e.uri(), ex.toString());
      }
    }
    apps.sort(Comparator.comparing(ApplicationSummary::startTime).reversed()
        .thenComparing(ApplicationSummary::id));
    return apps;
  }

  @Override
  public void close() {
    try {
      store.close();
    } catch (IOException e) {
      throw Failures.translate(access.backend().name(), access.backend().rootUri(), e);
    }
  }
}
