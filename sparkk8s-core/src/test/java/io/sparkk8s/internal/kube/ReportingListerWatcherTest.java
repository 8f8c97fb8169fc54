package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every call that does not get through is told, over real sockets: a refused connection (which
 * client-java's reflector keeps from its exception handler), a watch that breaks while open, and
 * not a watch this client closes itself.
 */
class ReportingListerWatcherTest {
  private final List<Throwable> failed = new CopyOnWriteArrayList<>();

  private ReportingListerWatcher<V1Node, V1NodeList> to(int port) {
    ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:" + port);
    CoreV1Api core = new CoreV1Api(client);
    CallGenerator calls = p -> core.listNode().resourceVersion(p.resourceVersion)
        .watch(p.watch).buildCall(null);
    return new ReportingListerWatcher<>(client, calls, V1NodeList.class,
        new TypeToken<Watch.Response<V1Node>>() {}.getType(), failed::add);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRefusedListAndARefusedWatchAreEachTold() throws Exception {
    var lw = to(closedPort());
    assertThatThrownBy(() -> lw.list(new CallGeneratorParams(false, "", null)))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> lw.watch(new CallGeneratorParams(true, "5", null)))
        .isInstanceOf(ApiException.class);
    assertThat(failed).hasSize(2).allSatisfy(e -> assertThat(NodeHealth.isOutage(e)).isTrue());
  }

  @Test
  void aListThatGetsThroughIsPassedOnAndNothingIsTold() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = serve(server, "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":"
          + "{\"resourceVersion\":\"7\"},\"items\":[{\"metadata\":{\"name\":\"n1\"}}]}", true);
      V1NodeList list = to(server.getLocalPort()).list(new CallGeneratorParams(false, "", null));
      t.join(5_000);
      assertThat(list.getItems()).extracting(n -> n.getMetadata().getName()).containsExactly("n1");
      assertThat(failed).isEmpty();
    }
  }

  @Test
  void aWatchThatBreaksWhileOpenIsToldAndOneClosedHereIsNot() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
      // One event, then the connection drops mid-stream (the chunked body never ends).
      Thread t = serve(server, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n1\"}}}\n",
          false);
      Watchable<V1Node> watch = to(server.getLocalPort()).watch(
          new CallGeneratorParams(true, "7", null));
      assertThat(watch.hasNext()).isTrue();
      assertThat(watch.next().object.getMetadata().getName()).isEqualTo("n1");
      t.join(5_000);
      assertThatThrownBy(() -> {
        while (watch.hasNext()) {
          watch.next();
        }
      }).isInstanceOf(RuntimeException.class);
      assertThat(failed).hasSize(1);
      assertThat(NodeHealth.isOutage(failed.get(0))).as("a broken watch is an outage").isTrue();
      watch.close();

      failed.clear();
      Thread second = serve(server, "", false);
      Watchable<V1Node> mine = to(server.getLocalPort()).watch(
          new CallGeneratorParams(true, "7", null));
      mine.close();
      try {
        mine.hasNext();
      } catch (RuntimeException expected) {
        // Reading a closed watch may fail; it must not be told as the API server's failure.
      }
      second.join(5_000);
      assertThat(failed).as("closing our own watch is no failure").isEmpty();
    }
  }

  private ReportingListerWatcher<V1Pod, V1PodList> podsTo(int port) {
    ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:" + port);
    CoreV1Api core = new CoreV1Api(client);
    CallGenerator calls = p -> core.listNamespacedPod("jobs").resourceVersion(p.resourceVersion)
        .watch(p.watch).buildCall(null);
    return new ReportingListerWatcher<>(client, calls, ProtoPodReader.READING, failed::add);
  }

  @Test
  void thePodWatchReadsSlimPodsAndBreaksAsClientJavasWatchDoes() throws Exception {
    V1Pod full = CachedPodsTest.pods().get(0);
    String slim = io.kubernetes.client.openapi.JSON.serialize(CachedPods.slim(full));
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
      Thread list = serve(server, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
          + "{\"resourceVersion\":\"7\"},\"items\":[" + io.kubernetes.client.openapi.JSON.serialize(full)
          + "]}", true);
      ReportingListerWatcher<V1Pod, V1PodList> lw = podsTo(server.getLocalPort());
      V1PodList pods = lw.list(new CallGeneratorParams(false, "", null));
      list.join(5_000);
      assertThat(pods.getMetadata().getResourceVersion()).isEqualTo("7");
      assertThat(pods.getItems()).hasSize(1);
      assertThat(io.kubernetes.client.openapi.JSON.serialize(pods.getItems().get(0))).isEqualTo(slim);

      Thread t = serve(server, "{\"type\":\"ADDED\",\"object\":"
          + io.kubernetes.client.openapi.JSON.serialize(full) + "}\n", false);
      Watchable<V1Pod> watch = lw.watch(new CallGeneratorParams(true, "7", null));
      // The reflector keeps the list it synced from for as long as it watches; the store has the
      // pods by now, so the list lets go of them rather than pin a stale copy of each.
      assertThat(pods.getItems()).as("the synced list, once the watch after it opened").isEmpty();
      assertThat(watch.hasNext()).isTrue();
      assertThat(io.kubernetes.client.openapi.JSON.serialize(watch.next().object)).isEqualTo(slim);
      t.join(5_000);
      // client-java's reflector knows a watch closed under it by this message, and watches again.
      assertThatThrownBy(() -> {
        while (watch.hasNext()) {
          watch.next();
        }
      }).isInstanceOf(RuntimeException.class).hasMessageStartingWith("IO Exception during");
      assertThat(failed).hasSize(1);
      assertThat(NodeHealth.isOutage(failed.get(0))).as("a broken watch is an outage").isTrue();
      watch.close();
    }
  }

  @Test
  void aPodListTheApiServerRefusesIsAnApiExceptionWithItsCodeAndTold() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
              StandardCharsets.ISO_8859_1));
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            // the request's head
          }
          String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
              + "\"reason\":\"Forbidden\",\"code\":403}";
          s.getOutputStream().write(("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n"
              + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // the client went away first
        }
      });
      t.setDaemon(true);
      t.start();
      assertThatThrownBy(() -> podsTo(server.getLocalPort()).list(new CallGeneratorParams(false, "", null)))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getResponseBody()).contains("Forbidden");
          });
      t.join(5_000);
      assertThat(failed).hasSize(1);
    }
  }

  /**
   * Answers one request with {@code body}, chunked; {@code complete} ends the body properly,
   * otherwise the connection is dropped after the body's first chunk.
   */
  private static Thread serve(ServerSocket server, String body, boolean complete) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
            StandardCharsets.ISO_8859_1));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          // the request's head
        }
        OutputStream out = s.getOutputStream();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder r = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n");
        if (b.length > 0) {
          r.append(Integer.toHexString(b.length)).append("\r\n").append(body).append("\r\n");
        }
        if (complete) {
          r.append("0\r\n\r\n");
        }
        out.write(r.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!complete) {
          Thread.sleep(200);
        }
      } catch (IOException | InterruptedException e) {
        // the client went away first
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
