package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Lists and watches for an informer, as client-java's own lister-watcher does, and tells
 * {@code failed} of every call that did not get through: a list or a watch that could not be
 * opened, and a watch that broke while open.
 *
 * <p>client-java's reflector hands some failures to its exception handler but not a refused
 * connection (it logs that and tries again), so a client whose every watch was refused for a
 * minute told nobody: a {@code WatchExpiryE2E} run recorded {@code failures=0} across a 64 s API
 * server outage, and {@link NodeHealth} then took the nodes the node controller marked Unknown
 * after that outage for lost nodes. Failures are reported here, where every call passes, whatever
 * the reflector does with them.
 *
 * <p>How responses are read is a {@link Reading}: the pod watch reads lists and events straight
 * into slim pods ({@link ProtoPodReader}), so no full pod is built.
 *
 * <p>The last list is emptied when the watch after it opens. client-java's reflector keeps the list
 * it synced from in a local variable of its {@code run()} for as long as it watches, which can be
 * the client's whole life; the informer's store has every item by then (the reflector hands them to
 * it before it watches), and each later change replaces a stored object with a new one, so the
 * list's copies pinned a second, stale copy of every object that existed at the last list: 4,591
 * extra pods in a heap with 10,000 tracked jobs.
 */
final class ReportingListerWatcher<T extends KubernetesObject, L extends KubernetesListObject>
    implements ListerWatcher<T, L> {
  private final ApiClient client;
  private final CallGenerator calls;
  private final Reading<T, L> reading;
  private final Consumer<Throwable> failed;
  /** The list last returned, until the watch after it opens. */
  private final AtomicReference<L> lastList = new AtomicReference<>();

  /**
   * How responses are read: client-java's models in full ({@link #typed}), or a reader of its own
   * (the pod watch reads slim pods straight from protobuf or JSON, {@link ProtoPodReader}).
   */
  interface Reading<T, L> {
    L list(ApiClient client, okhttp3.Call call) throws ApiException;

    Watchable<T> watch(ApiClient client, okhttp3.Call call) throws ApiException;
  }

  /** client-java's own reading; {@code watchType} is the type of {@code Watch.Response<T>}. */
  static <T, L> Reading<T, L> typed(Class<L> listType, Type watchType) {
    return new Reading<>() {
      @Override
      public L list(ApiClient client, okhttp3.Call call) throws ApiException {
        return client.<L>execute(call, listType).getData();
      }

      @Override
      public Watchable<T> watch(ApiClient client, okhttp3.Call call) throws ApiException {
        return Watch.createWatch(client, call, watchType);
      }
    };
  }

  /**
   * {@code watchType} is the type of {@code Watch.Response<T>} (a {@code TypeToken}'s type).
   */
  ReportingListerWatcher(ApiClient client, CallGenerator calls, Class<L> listType, Type watchType,
      Consumer<Throwable> failed) {
    this(client, calls, typed(listType, watchType), failed);
  }

  ReportingListerWatcher(ApiClient client, CallGenerator calls, Reading<T, L> reading,
      Consumer<Throwable> failed) {
    this.client = client;
    this.calls = calls;
    this.reading = reading;
    this.failed = failed;
  }

  @Override
  public L list(CallGeneratorParams params) throws ApiException {
    try {
      L list = reading.list(client, calls.generate(params));
      lastList.set(list);
      return list;
    } catch (ApiException | RuntimeException e) {
      failed.accept(e);
      throw e;
    }
  }

  @Override
  public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
    L synced = lastList.getAndSet(null);
    if (synced != null && synced.getItems() != null) {
      synced.getItems().clear();
    }
    Watchable<T> watch;
    try {
      watch = reading.watch(client, calls.generate(params));
    } catch (ApiException | RuntimeException e) {
      failed.accept(e);
      throw e;
    }
    return new Reporting<>(watch, failed);
  }

  /** A watch whose breaking while open is reported; its own close is not a failure. */
  private static final class Reporting<T> implements Watchable<T> {
    private final Watchable<T> watch;
    private final Consumer<Throwable> failed;
    private volatile boolean closed;

    Reporting(Watchable<T> watch, Consumer<Throwable> failed) {
      this.watch = watch;
      this.failed = failed;
    }

    @Override
    public boolean hasNext() {
      try {
        return watch.hasNext();
      } catch (RuntimeException e) {
        report(e);
        throw e;
      }
    }

    @Override
    public Watch.Response<T> next() {
      try {
        return watch.next();
      } catch (RuntimeException e) {
        report(e);
        throw e;
      }
    }

    private void report(RuntimeException e) {
      if (!closed) {
        failed.accept(e);
      }
    }

    @Override
    public Iterator<Watch.Response<T>> iterator() {
      return this;
    }

    @Override
    public void close() throws IOException {
      closed = true;
      watch.close();
    }
  }
}
