package io.sparkk8s.internal.kube;

import com.google.common.util.concurrent.Striped;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.LogArchive;
import io.sparkk8s.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Writes ended drivers' logs to the client's {@link LogArchive} (when it has one) and reads them
 * back once the pod is gone. A log is read without following it (an ended container's log is
 * whole; a killed one's up to the kill), streamed from the API server into the archive, and cut
 * at the client's limit by the API server ({@code limitBytes}), with a last line saying so.
 *
 * <p>Bounded: a driver is remembered while its archiving is pending and, once written, in a set
 * of the last {@value #REMEMBERED} (so that a watch's re-list does not ask the archive again for
 * each); one forgotten costs one {@link LogArchive#contains} call when seen again.
 */
final class LogArchiver {
  static final int REMEMBERED = 10_000;
  private final Optional<LogArchive> archive;
  private final long limitBytes;
  private final CoreV1Api core;
  private final Timers timers;
  private final Set<LogArchive.Key> pending = ConcurrentHashMap.newKeySet();
  private final Set<LogArchive.Key> written = Collections.synchronizedSet(
      Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LogArchive.Key, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      }));
  private final Striped<Lock> locks = Striped.lock(64);

  LogArchiver(Optional<LogArchive> archive, long limitBytes, CoreV1Api core, Timers timers) {
    this.archive = archive;
    this.limitBytes = limitBytes;
    this.core = core;
    this.timers = timers;
  }

  /** The key of a driver pod, or empty when its names are not ones an archive may use. */
  static Optional<LogArchive.Key> keyOf(V1Pod driver) {
    return keyOf(driver.getMetadata().getNamespace(), driver.getMetadata().getName(),
        PodFacts.appIdOf(driver));
  }

  /** The key of a driver, or empty when its names are not ones an archive may use. */
  static Optional<LogArchive.Key> keyOf(String namespace, String driverPodName, String appId) {
    try {
      return Optional.of(new LogArchive.Key(namespace, driverPodName, appId));
    } catch (RuntimeException planted) { // an app id label anyone could have written
      Log.LOG.debug("{}/{}: no name an archive may use ({})", namespace, driverPodName,
          planted.getMessage());
      return Optional.empty();
    }
  }

  /** A watch saw {@code driver}: once it has ended, its log is archived on a worker. */
  void driverSeen(V1Pod driver) {
    if (archive.isEmpty() || !DriverStates.fromPod(driver).phase().isFinal()) {
      return;
    }
    keyOf(driver).filter(k -> !written.contains(k) && pending.add(k)).ifPresent(k ->
        timers.now(() -> {
          try {
            ensure(k);
          } finally {
            pending.remove(k);
          }
        }));
  }

  /**
   * Archives the driver's log unless it is already; true when it is (or the client has no
   * archive), false when it could not be: then the driver must not be deleted by retention.
   */
  boolean ensure(LogArchive.Key key) {
    if (archive.isEmpty() || written.contains(key)) {
      return true;
    }
    // One writer per driver: the end seen by the watch and retention's deletion both come here.
    Lock lock = locks.get(key);
    lock.lock();
    try {
      return written.contains(key) || write(key, archive.get());
    } finally {
      lock.unlock();
    }
  }

  private boolean write(LogArchive.Key key, LogArchive to) {
    try {
      if (!to.contains(key)) {
        try (InputStream log = read(key)) {
          to.write(key, log);
        }
        Log.LOG.info("Archived the driver log of {}/{} to {}", key.namespace(),
            key.driverPodName(), to);
      }
      written.add(key);
      return true;
    } catch (NotFoundException gone) {
      Log.LOG.debug("{}/{} is gone: no log to archive", key.namespace(), key.driverPodName());
      return true;
    } catch (IOException | RuntimeException e) {
      Log.LOG.warn("Cannot archive the driver log of {}/{} to {}; the driver is kept until it is",
          key.namespace(), key.driverPodName(), to, e);
      return false;
    }
  }

  /** The archived log, when the client has an archive and it holds one. */
  Optional<InputStream> open(LogArchive.Key key) {
    if (archive.isEmpty()) {
      return Optional.empty();
    }
    try {
      return archive.get().open(key);
    } catch (IOException e) {
      throw new io.sparkk8s.exception.SparkK8sException("Cannot read the archived driver log of "
          + key.namespace() + "/" + key.driverPodName() + " from " + archive.get() + ": "
          + e.getMessage(), e);
    }
  }

  /** Drivers remembered as archived, for the test of the bound. */
  int remembered() {
    return written.size();
  }

  /** The driver container's log as it is now, not followed, cut at the limit. */
  private InputStream read(LogArchive.Key key) throws IOException {
    Call call;
    try {
      call = core.readNamespacedPodLog(key.driverPodName(), key.namespace())
          .container(io.sparkk8s.internal.compile.BasicDriverStep.CONTAINER_NAME).limitBytes((int) Math.min(Integer.MAX_VALUE,
              limitBytes)).buildCall(null);
    } catch (ApiException e) {
      throw new IOException(e);
    }
    Response response = call.execute();
    if (response.code() == 404) {
      response.close();
      throw new NotFoundException("log", "Pod", key.namespace(), key.driverPodName(), 404, null,
          "the driver pod is gone", null);
    }
    if (!response.isSuccessful() || response.body() == null) {
      int code = response.code();
      response.close();
      throw new IOException("reading the log of " + key.namespace() + "/" + key.driverPodName()
          + " answered HTTP " + code);
    }
    return new CountingTail(response.body().byteStream(), limitBytes);
  }

  /** Passes the log through and, when it reached the limit, adds a line saying it was cut. */
  static final class CountingTail extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;
    private InputStream tail;

    CountingTail(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (tail == null) {
        int n = in.read(b, off, len);
        if (n >= 0) {
          count += n;
          return n;
        }
        tail = count >= limit ? new java.io.ByteArrayInputStream(("\n[sparkk8s: the log was cut"
            + " at " + limit + " bytes, the client's driverLogLimit]\n")
            .getBytes(StandardCharsets.UTF_8)) : InputStream.nullInputStream();
      }
      return tail.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
