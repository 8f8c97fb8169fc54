package io.sparkk8s.bench;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.SparkKubernetes;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Reads, by reflection, what the SDK's client holds open, so the watch figures are counted rather
 * than assumed: its informers (one per namespace, each holding one watch stream, re-opened after
 * the server ends it) and the TCP connections in the pool of its watch client (HTTP/2 multiplexes
 * every watch of a client over one connection). OkHttp's dispatcher cannot count the streams: a
 * synchronous call leaves it once the response headers arrive, while a watch's body streams on.
 */
final class SdkInternals {
  private SdkInternals() {}

  /** What the SDK holds open. */
  record Watches(int informers, int tcpConnections, boolean synced) {}

  static Watches watches(SparkKubernetes spark) {
    try {
      // The namespace watches live in the Tracker of the client's JobRuntime; their number is
      // also public (diagnostics().watches()), which must agree.
      Object runtime = field(spark, "runtime");
      Map<?, ?> watches = (Map<?, ?>) field(field(runtime, "tracker"), "watches");
      ApiClient watchApi = (ApiClient) field(runtime, "watchApi");
      int counted = spark.diagnostics().watches().size();
      if (counted != watches.size()) {
        throw new IllegalStateException("diagnostics() counts " + counted + " watches, the client holds "
            + watches.size());
      }
      boolean synced = true;
      for (Object watch : watches.values()) {
        Method hasSynced = watch.getClass().getDeclaredMethod("hasSynced");
        hasSynced.setAccessible(true);
        synced &= (Boolean) hasSynced.invoke(watch);
      }
      var http = watchApi.getHttpClient();
      return new Watches(watches.size(), http.connectionPool().connectionCount(), synced);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the SDK's client changed: cannot read its watches (" + e + ")", e);
    }
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }
}
