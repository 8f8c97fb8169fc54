package io.sparkk8s.internal.kube;

import io.kubernetes.client.PortForward;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.sparkk8s.SparkUi;
import io.sparkk8s.exception.SparkK8sException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local port forwarded to a pod's port through the API server: each local connection opens its
 * own port-forward stream (client-java's {@link PortForward}, one websocket per connection, as
 * {@code kubectl port-forward} does with SPDY), and two threads copy bytes both ways.
 */
final class UiForward implements SparkUi {
  private final ServerSocket server;
  private final ExecutorService pumps;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private final URI url;
  private volatile boolean closed;

  UiForward(ApiClient streams, String namespace, String pod, int port) {
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new SparkK8sException("Cannot open a local port for the Spark UI of " + pod, e);
    }
    this.url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    this.pumps = Executors.newCachedThreadPool(DaemonThreads.named("sparkk8s-ui-" + pod));
    PortForward forward = new PortForward(streams);
    pumps.execute(() -> {
      while (!closed) {
        Socket local;
        try {
          local = server.accept();
        } catch (IOException e) {
          return;   // closed
        }
        open.add(local);
        if (closed) {
          // Accepted while close() ran: close() may have missed it.
          quietly(local);
          return;
        }
        pumps.execute(() -> connect(forward, namespace, pod, port, local));
      }
    });
  }

  private void connect(PortForward forward, String namespace, String pod, int port, Socket local) {
    PortForward.PortForwardResult remote;
    try {
      remote = forward.forward(namespace, pod, List.of(port));
    } catch (ApiException | IOException e) {
      Log.LOG.warn("Port-forward to {}/{}:{} failed", namespace, pod, port, e);
      quietly(local);
      open.remove(local);
      return;
    }
    open.add(remote);
    if (closed) {
      quietly(remote);
      quietly(local);
      return;
    }
    try {
      InputStream fromPod = remote.getInputStream(port);
      OutputStream toPod = remote.getOutboundStream(port);
      pumps.execute(() -> {
        copy(fromPod, local);
        quietly(local);
      });
      try (InputStream in = local.getInputStream()) {
        in.transferTo(toPod);
      }
    } catch (IOException e) {
      Log.LOG.debug("Connection to {}/{}:{} ended", namespace, pod, port, e);
    } finally {
      quietly(remote);
      quietly(local);
      open.remove(remote);
      open.remove(local);
    }
  }

  private static void copy(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
    } catch (IOException e) {
      // The other side closed.
    }
  }

  private static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing anyway.
    }
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public void close() {
    closed = true;
    quietly(server);
    open.forEach(UiForward::quietly);
    pumps.shutdownNow();
  }

  @Override
  public String toString() {
    return "SparkUi{" + url + "}";
  }
}
