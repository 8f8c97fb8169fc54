package io.sparkk8s.it;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GETs through the API server's service proxy, so tests reach Services that are not exposed
 * outside the cluster, with the test's own credentials. The proxy passes no Authorization header
 * on to the service (it authenticated the caller with it).
 */
final class ServiceProxy {
  private ServiceProxy() {}

  record Response(int code, String body) {}

  static Response get(ApiClient client, String ns, String serviceAndPort, String path,
      Map<String, String> query) throws ApiException, IOException {
    List<Pair> params = new ArrayList<>();
    query.forEach((k, v) -> params.add(new Pair(k, v)));
    var call = client.buildCall(client.getBasePath(),
        "/api/v1/namespaces/" + ns + "/services/" + serviceAndPort + "/proxy" + path, "GET",
        params, new ArrayList<>(), null, new HashMap<>(), new HashMap<>(), new HashMap<>(),
        new String[] {"BearerToken"}, null);
    try (var response = call.execute()) {
      return new Response(response.code(), response.body() == null ? "" : response.body().string());
    }
  }

  /** The body of a GET that must succeed. */
  static String body(ApiClient client, String ns, String serviceAndPort, String path)
      throws ApiException, IOException {
    Response r = get(client, ns, serviceAndPort, path, Map.of());
    if (r.code() != 200) {
      throw new IOException("GET " + path + " on " + serviceAndPort + ": " + r.code() + " " + r.body());
    }
    return r.body();
  }
}
