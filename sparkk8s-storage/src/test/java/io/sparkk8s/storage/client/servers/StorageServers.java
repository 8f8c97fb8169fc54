package io.sparkk8s.storage.client.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Real storage servers for the storage client's tests, started once per test JVM on free loopback
 * ports and stopped when the JVM's tests end (through the root extension store):
 *
 * <ul>
 *   <li>{@link GcsServer}: fake-gcs-server (the GCS JSON API), a process;
 *   <li>{@link S3Server}: versitygw (S3 with SigV4 over a POSIX directory), a process;
 *   <li>{@link HdfsServer}: Hadoop's MiniDFSCluster, in this JVM.
 * </ul>
 *
 * <p>Test classes take them as parameters. The processes' binaries are built from their Go
 * modules by {@code scripts/storage-servers/build.sh} (idempotent, cached). When a server cannot
 * be built or started the test fails under {@code CI=true}; elsewhere it is reported skipped
 * with the reason, never passed.
 */
public final class StorageServers implements ParameterResolver, InvocationInterceptor {
  private static final Namespace NS = Namespace.create(StorageServers.class);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == GcsServer.class || t == S3Server.class || t == HdfsServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    ExtensionContext.Store store = e.getRoot().getStore(NS);
    try {
      return store.getOrComputeIfAbsent(t, k -> start(t));
    } catch (ParameterResolutionException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      String why = t.getSimpleName() + " could not be started: " + ex;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new ParameterResolutionException(why, ex);
      }
      // JUnit turns any exception of a resolver into an error; the test is aborted (reported
      // skipped) by interceptTestMethod instead.
      e.getStore(NS).put("unavailable", why + " (a failure under CI=true)");
      return null;
    }
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext e) throws Throwable {
    String why = e.getStore(NS).get("unavailable", String.class);
    if (why != null) {
      invocation.skip();
      throw new TestAbortedException(why);
    }
    invocation.proceed();
  }

  private static Object start(Class<?> type) {
    try {
      if (type == GcsServer.class) {
        return GcsServer.start();
      } else if (type == S3Server.class) {
        return S3Server.start();
      }
      return HdfsServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's root: where {@code scripts/storage-servers} is. */
  public static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/storage-servers/build.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("scripts/storage-servers/build.sh not found above "
        + Path.of("").toAbsolutePath());
  }

  /** Builds (or finds in the cache) one server binary. */
  static Path binary(String name) throws IOException {
    Path log = logDir().resolve("build-" + name + ".log");
    Process p = new ProcessBuilder("bash", repoRoot().resolve("scripts/storage-servers/build.sh")
        .toString(), name).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("scripts/storage-servers/build.sh " + name + " failed: "
            + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building " + name, e);
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1]);
  }

  static Path logDir() throws IOException {
    Path dir = Path.of("target", "storage-servers").toAbsolutePath();
    Files.createDirectories(dir);
    return dir;
  }

  /** A loopback port free right now. */
  public static int freePort() {
    return freePort(InetAddress.getLoopbackAddress());
  }

  /** A port of {@code host} free right now. */
  static int freePort(InetAddress host) {
    try (ServerSocket s = new ServerSocket(0, 1, host)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code command}, waits until {@code healthUrl} answers 200, or fails with its log. */
  static Process startProcess(String name, List<String> command, Map<String, String> env,
      String healthUrl) throws IOException {
    Path log = logDir().resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      Awaitility.await(name + " answering at " + healthUrl).atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(name + " exited with " + p.exitValue());
            }
            return HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          });
    } catch (ConditionTimeoutException e) {
      p.destroyForcibly();
      throw new IOException(name + " did not answer at " + healthUrl + " (alive: " + p.isAlive()
          + "); its log " + log + ":\n" + Files.readString(log), e);
    }
    return p;
  }

  static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** fake-gcs-server on loopback (or a given address), plain HTTP, in-memory. */
  public static final class GcsServer implements AutoCloseable {
    private final Process process;
    private final String hostPort;

    private GcsServer(Process process, String hostPort) {
      this.process = process;
      this.hostPort = hostPort;
    }

    static GcsServer start() throws IOException {
      return startOn(InetAddress.getLoopbackAddress());
    }

    /**
     * A server listening on {@code host} only: the loopback for the client's own tests, a node's
     * address when pods must reach it. The caller closes it.
     */
    public static GcsServer startOn(InetAddress host) throws IOException {
      Path bin = binary("fake-gcs-server");
      int port = freePort(host);
      String hostPort = host.getHostAddress() + ":" + port;
      String url = "http://" + hostPort;
      Process p = startProcess("fake-gcs-server-" + port, List.of(bin.toString(), "-scheme",
          "http", "-host", host.getHostAddress(), "-port", Integer.toString(port), "-backend",
          "memory", "-public-host", hostPort, "-external-url", url, "-log-level", "warn"),
          Map.of(), url + "/storage/v1/b");
      return new GcsServer(p, hostPort);
    }

    /** The endpoint, {@code http://<host>:<port>}. */
    public String endpoint() {
      return "http://" + hostPort;
    }

    /** Creates a bucket through the JSON API. */
    public void createBucket(String bucket) throws IOException, InterruptedException {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint()
              + "/storage/v1/b?project=sparkk8s"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + bucket + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 && r.statusCode() != 409) {
        throw new IOException("creating bucket " + bucket + ": " + r.statusCode() + " " + r.body());
      }
    }

    /** The names of the objects whose names start with {@code prefix}, listed by the JSON API. */
    public List<String> objects(String bucket, String prefix)
        throws IOException, InterruptedException {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint()
              + "/storage/v1/b/" + bucket + "/o?prefix="
              + java.net.URLEncoder.encode(prefix, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("list gs://" + bucket + "/" + prefix + ": " + r.statusCode());
      }
      List<String> names = new ArrayList<>();
      com.google.gson.JsonArray items = com.google.gson.JsonParser.parseString(r.body())
          .getAsJsonObject().getAsJsonArray("items");
      if (items != null) {
        items.forEach(i -> names.add(i.getAsJsonObject().get("name").getAsString()));
      }
      return names;
    }

    /** An object's content, downloaded through the JSON API. */
    public byte[] download(String bucket, String name) throws IOException, InterruptedException {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint()
              + "/storage/v1/b/" + bucket + "/o/"
              + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + "?alt=media")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("download gs://" + bucket + "/" + name + ": " + r.statusCode());
      }
      return r.body();
    }

    @Override
    public void close() {
      stop(process);
    }
  }

  /** versitygw (an S3 gateway) over a temporary directory, with one root key pair. */
  public static final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "sparkk8s-test-access";
    public static final String SECRET_KEY = "sparkk8s-test-secret-0123456789";
    private final Process process;
    private final String hostPort;
    private final Path root;

    private S3Server(Process process, String hostPort, Path root) {
      this.process = process;
      this.hostPort = hostPort;
      this.root = root;
    }

    static S3Server start() throws IOException {
      return startOn(InetAddress.getLoopbackAddress());
    }

    /** As {@link GcsServer#startOn}: listening on {@code host} only; the caller closes it. */
    public static S3Server startOn(InetAddress host) throws IOException {
      Path bin = binary("versitygw");
      int port = freePort(host);
      String hostPort = host.getHostAddress() + ":" + port;
      Path root = Files.createTempDirectory("sparkk8s-s3-");
      // Keys through the environment, as versitygw documents; never on a command line.
      Process p = startProcess("versitygw-" + port, List.of(bin.toString(), "--port", hostPort,
              "--health", "/health", "posix", root.toString()),
          Map.of("ROOT_ACCESS_KEY_ID", ACCESS_KEY, "ROOT_SECRET_ACCESS_KEY", SECRET_KEY),
          "http://" + hostPort + "/health");
      return new S3Server(p, hostPort, root);
    }

    /** The endpoint, {@code http://<host>:<port>}. */
    public String endpoint() {
      return "http://" + hostPort;
    }

    /** The directory holding the buckets (an object is a file under {@code <root>/<bucket>/}). */
    public Path root() {
      return root;
    }

    /** Creates a bucket: with the POSIX backend, a bucket is a directory of the root. */
    public void createBucket(String bucket) throws IOException {
      Files.createDirectories(root.resolve(bucket));
    }

    @Override
    public void close() {
      stop(process);
    }
  }

  /** A MiniDFSCluster with one datanode, in this JVM. */
  public static final class HdfsServer implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private HdfsServer(MiniDFSCluster cluster) {
      this.cluster = cluster;
    }

    static HdfsServer start() throws IOException {
      Path base = Files.createTempDirectory("sparkk8s-hdfs-");
      Configuration conf = new Configuration();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
      conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
      MiniDFSCluster c = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1)
          .nameNodePort(freePort()).nameNodeHttpPort(freePort()).build();
      c.waitActive();
      return new HdfsServer(c);
    }

    /** The namenode, {@code hdfs://127.0.0.1:<port>}. */
    public String namenode() {
      return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    /** The cluster's file system, as its superuser. */
    public org.apache.hadoop.fs.FileSystem fileSystem() throws IOException {
      return cluster.getFileSystem();
    }

    @Override
    public void close() {
      cluster.shutdown(true);
    }
  }

}
