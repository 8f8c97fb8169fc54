package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;

/**
 * A watch of pods read from the open response of its call, one event at a time by {@link #read}:
 * lines of JSON ({@link SlimPodReader.LineWatch}) or frames of protobuf ({@link
 * ProtoPodReader}). Closing it cancels the call.
 *
 * <p>The messages are client-java's own: its reflector recognises "IO Exception during hasNext"
 * as a watch closed under it (the client's close, a dropped connection) and watches again quietly
 * instead of calling the watch failed.
 */
abstract class StreamWatch implements Watchable<V1Pod> {
  private final okhttp3.Response response;
  private final okhttp3.Call call;

  StreamWatch(okhttp3.Response response, okhttp3.Call call) {
    this.response = response;
    this.call = call;
  }

  /** The next event from the stream. */
  abstract Watch.Response<V1Pod> read(okio.BufferedSource source) throws IOException;

  @Override
  public final boolean hasNext() {
    try {
      return !response.body().source().exhausted();
    } catch (IOException e) {
      throw new RuntimeException("IO Exception during hasNext method.", e);
    }
  }

  @Override
  public final Watch.Response<V1Pod> next() {
    try {
      return read(response.body().source());
    } catch (IOException e) {
      throw new RuntimeException("IO Exception during next method.", e);
    }
  }

  @Override
  public final java.util.Iterator<Watch.Response<V1Pod>> iterator() {
    return this;
  }

  @Override
  public final void close() {
    call.cancel();
    response.close();
  }
}
