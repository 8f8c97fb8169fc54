package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkConnectServer;
import io.sparkk8s.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Spark Connect server submitted through the SDK, and a PySpark Connect client in a pod of the
 * cluster (the local Jupyter image, which has PySpark 4.1.1 with its {@code connect} extra) that
 * runs a query on the server's executors.
 */
@RealCluster
class SparkConnectE2E {
  @Test
  void aPySparkClientRunsAQueryOnTheServersExecutors(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    SparkConnectServer connect = SparkConnectServer.builder().name("connect").namespace(ns.name())
        .serviceAccount("spark")
        .driver(Driver.builder().memory("1g").coreRequest("100m").build())
        .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
        .build();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle server = spark.submit(connect.job());
      await().atMost(Duration.ofMinutes(3)).until(() -> server.state().phase() == JobPhase.RUNNING
          || server.state().phase().isFinal());
      assertThat(server.state().phase()).as("server state %s", server.state()).isEqualTo(JobPhase.RUNNING);

      String script = connectThen(connect.endpoint(),
          "print('RESULT', s.range(0, 1000, 1, 4).selectExpr('sum(id) AS total').collect()[0]['total'])");
      String log = runPySpark(core, ns.name(), "connect-client", script);
      assertThat(log).as("the PySpark Connect client's output").contains("RESULT 499500");

      // The query ran on the server's executor, not in the driver: its UI counts the tasks.
      String svc = io.sparkk8s.SparkCompiler.compile(connect.job()).driverService().getMetadata().getName();
      JsonArray executors = JsonParser.parseString(ServiceProxy.body(cluster.client(), ns.name(),
          svc + ":4040", "/api/v1/applications/" + server.appId() + "/executors")).getAsJsonArray();
      int tasksOnExecutors = 0;
      for (JsonElement e : executors) {
        if (!"driver".equals(e.getAsJsonObject().get("id").getAsString())) {
          tasksOnExecutors += e.getAsJsonObject().get("totalTasks").getAsInt();
        }
      }
      assertThat(tasksOnExecutors).as("tasks run by executors of %s", server.appId())
          .isGreaterThanOrEqualTo(4);
      System.out.printf("[E2E] Spark Connect server %s at %s: a PySpark client's query returned"
          + " 499500, %d tasks on the server's executors%n", server.appId(), connect.endpoint(),
          tasksOnExecutors);

      server.kill();
      assertThat(server.awaitCompletion(Duration.ofMinutes(2)).phase().isFinal()).isTrue();
    }
  }

  /** Runs {@code script} in a PySpark client pod (the Jupyter image) and returns its log. */
  static String runPySpark(CoreV1Api core, String ns, String name, String script) throws Exception {
    startPySpark(core, ns, name, script);
    return awaitPySpark(core, ns, name);
  }

  /** Starts {@code script} in a PySpark client pod (the Jupyter image), for at most 7 minutes. */
  static void startPySpark(CoreV1Api core, String ns, String name, String script) throws Exception {
    core.createNamespacedPod(ns, new V1Pod()
            .metadata(new V1ObjectMeta().name(name))
            // client-java's models start with empty maps, which the API server takes as set values.
            .spec(new V1PodSpec().overhead(null).nodeSelector(null).restartPolicy("Never")
                .enableServiceLinks(false).activeDeadlineSeconds(420L)
                .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                    .runAsGroup(185L).seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .addContainersItem(new V1Container().name("pyspark")
                    .image(PlatformE2E.JUPYTER_IMAGE).imagePullPolicy("IfNotPresent")
                    .command(List.of("python3", "-c", script))
                    .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false)
                        .capabilities(new V1Capabilities().drop(List.of("ALL")))))))
        .execute();
  }

  /** Waits for a client pod's end and returns its log. */
  static String awaitPySpark(CoreV1Api core, String ns, String name) throws Exception {
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      String phase = core.readNamespacedPod(name, ns).execute().getStatus().getPhase();
      return "Succeeded".equals(phase) || "Failed".equals(phase);
    });
    return core.readNamespacedPodLog(name, ns).execute();
  }

  /** A script that connects (retrying while the server starts) and then runs {@code body}. */
  static String connectThen(String endpoint, String... body) {
    List<String> lines = new java.util.ArrayList<>(List.of(
        "import time",
        "from pyspark.sql import SparkSession",
        "deadline = time.time() + 240",
        "while True:",
        "    try:",
        "        s = SparkSession.builder.remote('" + endpoint + "').getOrCreate()",
        "        s.range(1).collect()",
        "        break",
        "    except Exception as e:",
        "        if time.time() > deadline: raise",
        "        print('waiting for the server:', type(e).__name__, flush=True)",
        "        time.sleep(3)"));
    lines.addAll(List.of(body));
    return String.join("\n", lines);
  }

  @Test
  void anIdleServerStopsAfterItsTimeoutAndNotBefore(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    Duration timeout = Duration.ofSeconds(60);
    SparkConnectServer connect = SparkConnectServer.builder().name("idle").namespace(ns.name())
        .serviceAccount("spark")
        .driver(Driver.builder().memory("1g").coreRequest("100m").build())
        .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
        .idleTimeout(timeout)
        .build();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle server = spark.submit(connect.job());
      // A client starts with the server and keeps it busy with queries spaced less than the
      // timeout apart, for longer than the timeout: the server must stay up through all of them.
      startPySpark(core, ns.name(), "idle-client", connectThen(connect.endpoint(),
          "print('CONNECTED', time.time(), flush=True)",
          "for i in range(3):",
          "    s.range(0, 1000, 1, 2).selectExpr('sum(id) AS t').collect()",
          "    print('QUERY', i, time.time(), flush=True)",
          "    time.sleep(30)",
          "s.range(0, 10, 1, 1).collect()",
          "print('LAST', time.time(), flush=True)"));
      String log = awaitPySpark(core, ns.name(), "idle-client");
      assertThat(log).as("client output").contains("LAST");
      assertThat(server.state().phase()).as("the server while used, %s", server.state())
          .isEqualTo(JobPhase.RUNNING);
      double lastQuery = Double.parseDouble(log.substring(log.indexOf("LAST") + 5).trim().split("\\s")[0]);
      Instant lastJob = Instant.ofEpochMilli((long) (lastQuery * 1000));

      JobState end = server.awaitCompletion(Duration.ofMinutes(3));
      Instant stopped = Instant.now();
      assertThat(end.phase()).as("end %s", end).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(end.reason()).isEqualTo("IdleShutdown");
      Duration idle = Duration.between(lastJob, stopped);
      // Not before its timeout; and within the timeout plus two check intervals and the kill.
      // (The client prints LAST a few milliseconds after Spark records the job's end.)
      assertThat(idle).as("time from the last job to the stop")
          .isGreaterThanOrEqualTo(timeout.minusSeconds(1))
          .isLessThan(timeout.plusSeconds(60));
      System.out.printf("[E2E] Spark Connect server %s: busy for %s of queries spaced 30 s apart,"
          + " stopped %.1f s after its last job (timeout %s); ended %s%n", server.appId(),
          "about 100 s", idle.toMillis() / 1000.0, timeout, end);
    }
  }
}
