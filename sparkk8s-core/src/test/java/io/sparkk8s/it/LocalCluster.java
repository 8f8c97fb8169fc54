package io.sparkk8s.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults only the local cluster of scripts/local-k8s can take: killing and restarting its
 * components ({@code restart.sh}) and compacting its etcd. Tests that need it are skipped, with
 * the reason, on any other cluster.
 */
final class LocalCluster {
  private static final String ETCD = "http://127.0.0.1:2379";

  private LocalCluster() {}

  /** Skips the test unless the cluster is the local one and this JVM may restart its parts. */
  static Path requireRestartable(ClusterConnection cluster) {
    Optional<Path> script = RealClusterExtension.findUpward(Paths.get("").toAbsolutePath(),
        "scripts/local-k8s/restart.sh");
    assumeTrue(script.isPresent(), "scripts/local-k8s/restart.sh not found");
    // The local cluster's kubeconfig sits in its state directory, beside run/<component>.pid
    // (found this way whether the extension started it or scripts/test.sh passed its kubeconfig).
    Path pid = cluster.kubeconfig().toAbsolutePath().getParent().resolve("run/kube-apiserver.pid");
    assumeTrue(java.nio.file.Files.isRegularFile(pid),
        "killing the API server needs the local cluster of scripts/local-k8s (no " + pid + "), not "
            + cluster);
    assumeTrue("root".equals(System.getProperty("user.name")),
        "restart.sh needs root to kill and start the cluster's processes");
    return script.get();
  }

  /**
   * Runs {@code restart.sh <component> <args>} and returns its report line ("... down N ms,
   * healthy M ms after the kill"); fails the test when the script fails.
   */
  static String restart(Path script, String component, String... args) throws IOException,
      InterruptedException {
    String[] command = new String[3 + args.length];
    command[0] = "bash";
    command[1] = script.toString();
    command[2] = component;
    System.arraycopy(args, 0, command, 3, args.length);
    Process p = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("restart.sh " + component + " failed: " + out);
    }
    return out;
  }

  /** {@link #restart}, for use in a CompletableFuture. */
  static String restartUnchecked(Path script, String component, String... args) {
    try {
      return restart(script, component, args);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the API server answers a request now. */
  static boolean apiServerAnswers(io.kubernetes.client.openapi.apis.CoreV1Api core) {
    try {
      core.listNamespace().limit(1).execute();
      return true;
    } catch (io.kubernetes.client.openapi.ApiException e) {
      return e.getCode() != 0;
    }
  }

  /** Compacts etcd's history up to its current revision, through etcd's JSON gateway; returns it. */
  static long compactEtcd() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String range = post(http, "/v3/kv/range", "{\"key\":\"AA==\",\"limit\":1}");
    Matcher m = Pattern.compile("\"revision\":\"(\\d+)\"").matcher(range);
    if (!m.find()) {
      throw new AssertionError("no revision in etcd's answer: " + range);
    }
    long revision = Long.parseLong(m.group(1));
    post(http, "/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
    return revision;
  }

  private static String post(HttpClient http, String path, String body) throws IOException,
      InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ETCD + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("etcd " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
