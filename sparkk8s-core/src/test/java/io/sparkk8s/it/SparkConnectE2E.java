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
import java.time.Duration;
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

      String script = String.join("\n",
          "import time",
          "from pyspark.sql import SparkSession",
          "deadline = time.time() + 120",
          "while True:",
          "    try:",
          "        s = SparkSession.builder.remote('" + connect.endpoint() + "').getOrCreate()",
          "        s.range(1).collect()",
          "        break",
          "    except Exception as e:",
          "        if time.time() > deadline: raise",
          "        print('waiting for the server:', type(e).__name__, flush=True)",
          "        time.sleep(3)",
          "print('RESULT', s.range(0, 1000, 1, 4).selectExpr('sum(id) AS total').collect()[0]['total'])");
      V1Pod client = core.createNamespacedPod(ns.name(), new V1Pod()
          .metadata(new V1ObjectMeta().name("connect-client"))
          // client-java's models start with empty maps, which the API server takes as set values.
          .spec(new V1PodSpec().overhead(null).nodeSelector(null).restartPolicy("Never")
              .enableServiceLinks(false)
              .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                  .runAsGroup(185L).seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
              .addContainersItem(new V1Container().name("pyspark")
                  .image(PlatformE2E.JUPYTER_IMAGE).imagePullPolicy("IfNotPresent")
                  .command(List.of("python3", "-c", script))
                  .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false)
                      .capabilities(new V1Capabilities().drop(List.of("ALL")))))))
          .execute();
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        String phase = core.readNamespacedPod("connect-client", ns.name()).execute().getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
      });
      String log = core.readNamespacedPodLog(client.getMetadata().getName(), ns.name()).execute();
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
}
