package io.sparkk8s.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between the SDK and the real API server, which injects network faults:
 * it cuts every connection and refuses new ones for a while ({@link #cutFor}), or lets a large
 * request (a create) through and swallows its answer, then drops the connection ({@link
 * #loseAnswersToCreates}): the create is applied on the server, the client never hears so.
 *
 * <p>It relays TLS untouched (it never sees HTTP), so the API server's certificate, which names
 * 127.0.0.1, stays valid for a client that connects to the proxy's port on 127.0.0.1. Its threads
 * are named {@value #THREAD_PREFIX}*, so thread-leak checks can tell them from the SDK's.
 */
final class FaultProxy implements AutoCloseable {
  static final String THREAD_PREFIX = "fault-proxy-";
  /** More client bytes than this without an answer in between is a create (a pod is ~4 KB). */
  private static final int LARGE_REQUEST_BYTES = 2500;

  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, THREAD_PREFIX + "timer"));
  private final AtomicInteger threadIds = new AtomicInteger();
  private final AtomicInteger answersToLose = new AtomicInteger();
  /** After a lost answer the next large request passes: the retry it causes is answered. */
  private final java.util.concurrent.atomic.AtomicBoolean spareNext =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong cutConnections = new AtomicLong();
  private final AtomicLong lostAnswers = new AtomicLong();
  private volatile ServerSocket server;
  private volatile boolean closed;

  FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    ServerSocket s = listen(0);
    this.port = s.getLocalPort();
    this.server = s;
    startAccepting(s);
  }

  int port() {
    return port;
  }

  /** Connections accepted, connections cut by a fault, answers swallowed. */
  record Stats(long accepted, long cut, long lostAnswers) {}

  Stats stats() {
    return new Stats(accepted.get(), cutConnections.get(), lostAnswers.get());
  }

  /**
   * Drops every open connection now and refuses new ones (the port is closed: connection refused)
   * for {@code outage}; then listens again on the same port.
   */
  void cutFor(Duration outage) throws IOException {
    down();
    timers.schedule(() -> {
      try {
        up();
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen on " + port + " again", e);
      }
    }, outage.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Drops every open connection and refuses new ones until {@link #up()}. */
  synchronized void down() throws IOException {
    ServerSocket s = server;
    server = null;
    if (s != null) {
      s.close();
    }
    cutAll();
  }

  /**
   * Refuses new connections until {@link #up()}, leaving open ones alone: what they carry (a watch
   * the server ends) still reaches the client, but the client cannot reconnect.
   */
  synchronized void stopAccepting() throws IOException {
    ServerSocket s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /** Accepts connections again, on the same port. */
  synchronized void up() throws IOException {
    if (server == null && !closed) {
      ServerSocket again = listen(port);
      server = again;
      startAccepting(again);
    }
  }

  /** Whether the proxy accepts connections (false during a cut). */
  boolean listening() {
    return server != null;
  }

  /** Drops every open connection (a network blip); new ones are accepted. */
  void cutAll() {
    for (Connection c : open) {
      cutConnections.incrementAndGet();
      c.close();
    }
  }

  /**
   * The next {@code count} large requests reach the server, but their answers are swallowed and
   * their connection dropped a second later, after the server has applied them. Each such request
   * is followed by one that passes, so every lost answer is followed by a retry that is answered.
   */
  void loseAnswersToCreates(int count) {
    answersToLose.set(count);
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    return s;
  }

  private void startAccepting(ServerSocket s) {
    daemon(() -> {
      while (!closed && !s.isClosed()) {
        try {
          Socket client = s.accept();
          accepted.incrementAndGet();
          relay(client);
        } catch (IOException e) {
          // The socket was closed by a cut or close().
        }
      }
    }, THREAD_PREFIX + "accept-" + threadIds.incrementAndGet()).start();
  }

  private void relay(Socket client) {
    Socket upstreamSocket = new Socket();
    try {
      upstreamSocket.connect(upstream, 5000);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    Connection c = new Connection(client, upstreamSocket);
    open.add(c);
    int id = threadIds.incrementAndGet();
    daemon(() -> c.pump(client, upstreamSocket, true), THREAD_PREFIX + "up-" + id).start();
    daemon(() -> c.pump(upstreamSocket, client, false), THREAD_PREFIX + "down-" + id).start();
  }

  /** One proxied connection: two pumps and what the fault injection knows of it. */
  private final class Connection {
    private final Socket client;
    private final Socket upstreamSocket;
    private final AtomicLong unansweredBytes = new AtomicLong();
    private volatile boolean swallowing;
    /** Whether the current large request was already considered for losing its answer. */
    private volatile boolean counted;

    Connection(Socket client, Socket upstreamSocket) {
      this.client = client;
      this.upstreamSocket = upstreamSocket;
    }

    void pump(Socket from, Socket to, boolean clientToServer) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (clientToServer) {
            if (unansweredBytes.addAndGet(n) > LARGE_REQUEST_BYTES && !swallowing
                && !counted && (counted = true) && !spareNext.getAndSet(false)
                && answersToLose.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
              spareNext.set(true);
              swallowing = true;
              lostAnswers.incrementAndGet();
              timers.schedule(() -> {
                cutConnections.incrementAndGet();
                close();
              }, 1, TimeUnit.SECONDS);
            }
          } else {
            unansweredBytes.set(0);
            counted = false;
            if (swallowing) {
              continue;
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (SocketException closedByCut) {
        // Expected when the other pump or a cut closes the sockets.
      } catch (IOException e) {
        // Same: a relay ends when either side does.
      } finally {
        close();
      }
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstreamSocket);
      open.remove(this);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    ServerSocket s = server;
    if (s != null) {
      s.close();
    }
    cutAll();
    timers.shutdownNow();
  }
}
