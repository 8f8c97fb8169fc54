package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.NetworkIsolation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The job's NetworkPolicies enforced on a real network: the local cluster runs kube-router's
 * network policy controller (iptables and ipsets, as on many on-premises clusters), so a connection
 * the policies do not allow is refused. While a job holds its driver open, probe pods in the same
 * namespace try the driver's ports: a pod with no relation to the job reaches neither the UI nor
 * Spark's RPC port; a pod with the UI-client labels reaches the UI only; a pod labelled as one of
 * the job's pods reaches the RPC port (the control that shows the port is served, so "refused" is the
 * policy and not an absent listener). The job's executors work through the same policies before and
 * after the probes, and the job succeeds.
 */
@RealCluster
class NetworkPolicyE2E {
  static final Application HOLD = Application.jvm("io.sparkk8s.e2e.HoldUntilReleased",
      SparkJobLifecycleE2E.TEST_JAR);
  private static final int UI = 4040;
  private static final int RPC = 7078;

  /**
   * Connects to each port of the driver, for {@code seconds}: a port counts as open when any
   * attempt connects. With {@code until} it stops as soon as that port is open (a pod the policy
   * allows is added to kube-router's sets a moment after it starts).
   */
  private static final String PROBE = String.join("\n",
      "import socket, sys, time",
      "ip, seconds, until, ports = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]",
      "result = {p: 'refused' for p in ports}",
      "end = time.time() + seconds",
      "while time.time() < end:",
      "    for p in ports:",
      "        if result[p] == 'open':",
      "            continue",
      "        try:",
      "            socket.create_connection((ip, int(p)), timeout=2).close()",
      "            result[p] = 'open'",
      "        except OSError as e:",
      "            result[p] = 'refused' if isinstance(e, ConnectionRefusedError) else type(e).__name__",
      "    if until != '-' and result.get(until) == 'open':",
      "        break",
      "    time.sleep(0.5)",
      "print('PROBE ' + ' '.join(p + '=' + result[p] for p in ports), flush=True)");

  @Test
  void aPodOutsideTheJobReachesNoDriverPortAndTheJobStillSucceeds(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    NetworkingV1Api networking = new NetworkingV1Api(cluster.client());
    String release = "release-driver";
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "isolated").application(HOLD)
          .addArguments(release, "240")
          .networkIsolation(NetworkIsolation.strict().withUiClients(Map.of("role", "ui-client")))
          .build());
      // Both executors registered and ran the first count: Spark's traffic passed the policies.
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
          .until(() -> job.state().liveExecutors() == 2 || job.state().phase().isFinal());
      assertThat(job.state().phase()).as("state while held: %s", job.state())
          .isEqualTo(JobPhase.RUNNING);
      assertThat(networking.listNamespacedNetworkPolicy(ns.name()).execute().getItems())
          .hasSize(2);
      V1Pod driver = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
          .execute().getItems().get(0);
      String ip = driver.getStatus().getPodIP();

      // The controls first: each stops as soon as its allowed port answers (up to 60 s).
      CompletableFuture<Map<String, String>> uiClient = CompletableFuture.supplyAsync(() ->
          probe(core, ns.name(), "ui-client", Map.of("role", "ui-client"), ip, 60, UI, UI, RPC));
      CompletableFuture<Map<String, String>> member = CompletableFuture.supplyAsync(() ->
          probe(core, ns.name(), "member", Map.of("spark-app-selector", job.appId()), ip, 60, RPC,
              RPC, UI));
      Map<String, String> fromUiClient = uiClient.get();
      Map<String, String> fromMember = member.get();
      // Then a pod with no relation to the job, which tries for 15 s.
      Map<String, String> fromStranger = probe(core, ns.name(), "stranger", Map.of("role", "other"),
          ip, 15, 0, UI, RPC);
      System.out.printf("[E2E] driver %s: from a UI client %s, from a pod of the job %s, "
          + "from another pod %s%n", ip, fromUiClient, fromMember, fromStranger);

      core.createNamespacedConfigMap(ns.name(), new V1ConfigMap()
          .metadata(new V1ObjectMeta().name(release))).execute();
      JobState end = job.awaitCompletion(Duration.ofMinutes(3));
      String log;
      try (var in = new BufferedReader(new InputStreamReader(job.driverLog(),
          StandardCharsets.UTF_8))) {
        log = in.lines().collect(Collectors.joining("\n"));
      }

      assertThat(fromUiClient).as("a UI client (role=ui-client)")
          .containsEntry(port(UI), "open").containsEntry(port(RPC), "refused");
      assertThat(fromMember).as("a pod labelled as the job's")
          .containsEntry(port(RPC), "open").containsEntry(port(UI), "refused");
      assertThat(fromStranger).as("a pod outside the job")
          .containsEntry(port(UI), "refused").containsEntry(port(RPC), "refused");
      assertThat(end.phase()).as("final state %s; driver log:%n%s", end, log)
          .isEqualTo(JobPhase.SUCCEEDED);
      assertThat(end.exitCode()).contains(0);
      assertThat(log).contains("HoldUntilReleased: released; counted 1000 after the hold");
    }
  }

  private static String port(int port) {
    return Integer.toString(port);
  }

  /**
   * Runs {@link #PROBE} in a pod with these labels (restricted Pod Security) and returns each
   * port's result ("open", "refused", or the error's name), read from the pod's log.
   */
  static Map<String, String> probe(CoreV1Api core, String ns, String name,
      Map<String, String> labels, String ip, int seconds, int until, int... ports) {
    try {
      List<String> args = new java.util.ArrayList<>(List.of("python3", "-c", PROBE, ip,
          Integer.toString(seconds), until == 0 ? "-" : port(until)));
      for (int p : ports) {
        args.add(port(p));
      }
      core.createNamespacedPod(ns, new V1Pod()
          .metadata(new V1ObjectMeta().name("probe-" + name).labels(labels))
          .spec(new V1PodSpec().overhead(null).restartPolicy("Never")
              .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                  .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
              .addContainersItem(new V1Container().name("probe").image(SparkSubmit.SPARK_IMAGE)
                  .imagePullPolicy("IfNotPresent").args(args)
                  .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false)
                      .capabilities(new V1Capabilities().addDropItem("ALL"))))))
          .execute();
      await().atMost(Duration.ofSeconds(seconds + 90)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            String phase = core.readNamespacedPod("probe-" + name, ns).execute().getStatus()
                .getPhase();
            return "Succeeded".equals(phase) || "Failed".equals(phase);
          });
      String out = core.readNamespacedPodLog("probe-" + name, ns).execute();
      String line = out.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
          .orElseThrow(() -> new AssertionError("probe " + name + " printed no result: " + out));
      Map<String, String> result = new LinkedHashMap<>();
      for (String pair : line.substring("PROBE ".length()).split(" ")) {
        String[] kv = pair.split("=", 2);
        result.put(kv[0], kv[1]);
      }
      return result;
    } catch (Exception e) {
      throw new IllegalStateException("probe " + name + " failed", e);
    }
  }
}
