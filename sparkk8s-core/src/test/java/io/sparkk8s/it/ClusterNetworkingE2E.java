package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Spark relies on from the cluster beyond the API: cluster DNS and the driver's headless Service,
 * seen from inside an executor; and Pod Security admission, which the SDK's pods must satisfy.
 */
@RealCluster
class ClusterNetworkingE2E {

  private static final Pattern PROBE = Pattern.compile(
      "DNS-PROBE executor=(\\S+) kubernetes\\.default\\.svc=(\\S+) (\\S+)=(\\S+) connect=ok");

  @Test
  void executorsResolveClusterDnsAndReachTheHeadlessDriverService(ClusterConnection cluster, TestNamespace namespace)
      throws Exception {
    SparkSubmit.ensureDriverServiceAccount(cluster, namespace);
    CoreV1Api core = new CoreV1Api(cluster.client());
    // The probe reaches the driver pod through a ConfigMap volume, added with a driver pod template.
    core.createNamespacedConfigMap(namespace.name(), new V1ConfigMap()
        .metadata(new V1ObjectMeta().name("dns-probe"))
        .putDataItem("dns_probe.py", resource("dns_probe.py"))).execute();
    Path template = Files.createTempFile("driver-template", ".yaml");
    Files.writeString(template, """
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - name: spark-kubernetes-driver
            volumeMounts:
            - {name: probe, mountPath: /opt/sparkk8s-it}
          volumes:
          - name: probe
            configMap: {name: dns-probe}
        """);
    String driverPod = "dns-probe-driver";

    SparkSubmit.Result submit;
    try (ExecutorPods executors = ExecutorPods.watch(cluster.client(), namespace)) {
      submit = SparkSubmit.cluster(cluster, namespace)
          .conf("spark.app.name", "dns-probe")
          .conf("spark.kubernetes.driver.pod.name", driverPod)
          .conf("spark.kubernetes.driver.podTemplateFile", template.toString())
          .conf("spark.kubernetes.driver.podTemplateContainerName", "spark-kubernetes-driver")
          .conf("spark.executor.instances", "2")
          .run(null, "local:///opt/sparkk8s-it/dns_probe.py");
      assertThat(submit.exitCode()).as("spark-submit exit code; output in %s", submit.log()).isZero();
      await("driver pod to finish").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> SparkPiSubmitE2E.phase(core, namespace, driverPod),
              p -> p.equals("Succeeded") || p.equals("Failed"));
      assertThat(executors.seenRunning()).as("executor pods seen running").hasSize(2);
    } finally {
      Files.deleteIfExists(template);
    }

    String log = core.readNamespacedPodLog(driverPod, namespace.name()).execute();
    assertThat(SparkPiSubmitE2E.phase(core, namespace, driverPod)).as("driver phase; log:%n%s", log)
        .isEqualTo("Succeeded");
    V1Pod driver = core.readNamespacedPod(driverPod, namespace.name()).execute();
    String driverIp = driver.getStatus().getPodIP();
    List<Matcher> probes = log.lines().map(PROBE::matcher).filter(Matcher::matches).toList();
    assertThat(probes).as("DNS-PROBE lines in the driver log:%n%s", log).isNotEmpty();
    for (Matcher probe : probes) {
      assertThat(probe.group(1)).as("probe ran in an executor pod").contains("-exec-");
      assertThat(probe.group(2)).as("kubernetes.default.svc from an executor").isEqualTo(kubernetesServiceIp(core));
      // spark.driver.host is the driver's Service (Spark deletes it when the driver stops, so it is
      // checked through the name the executors used). Headless: it resolves straight to the driver pod's IP.
      assertThat(probe.group(3)).as("driver host").matches(".+-driver-svc\\." + namespace.name() + "\\.svc");
      assertThat(probe.group(4)).as("driver Service from an executor").isEqualTo(driverIp);
    }
  }

  @Test
  void podViolatingRestrictedPodSecurityIsRejected(ClusterConnection cluster, TestNamespace namespace)
      throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    V1Namespace ns = core.readNamespace(namespace.name()).execute();
    ns.getMetadata().putLabelsItem("pod-security.kubernetes.io/enforce", "restricted");
    ns.getMetadata().putLabelsItem("pod-security.kubernetes.io/enforce-version", "latest");
    core.replaceNamespace(namespace.name(), ns).execute();

    V1Pod root = pod("runs-as-root", new V1SecurityContext().privileged(true).runAsUser(0L), null);
    assertThatThrownBy(() -> core.createNamespacedPod(namespace.name(), root).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getResponseBody()).contains("violates PodSecurity \\\"restricted:latest\\\"")
              .contains("privileged");
        });

    // The same pod made compliant is admitted (dry run: nothing needs to run).
    V1Pod compliant = pod("compliant",
        new V1SecurityContext().allowPrivilegeEscalation(false).capabilities(new V1Capabilities().addDropItem("ALL")),
        new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
            .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")));
    V1Pod admitted = core.createNamespacedPod(namespace.name(), compliant).dryRun("All").execute();
    assertThat(admitted.getMetadata().getName()).isEqualTo("compliant");
  }

  private static V1Pod pod(String name, V1SecurityContext container, V1PodSecurityContext pod) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name))
        .spec(new V1PodSpec()
            // The generated model starts with an empty overhead map, which the API server rejects
            // ("Pod Overhead set without corresponding RuntimeClass").
            .overhead(null)
            .securityContext(pod)
            .addContainersItem(new V1Container().name("main").image(SparkSubmit.SPARK_IMAGE)
                .args(List.of("sleep", "1")).securityContext(container)));
  }

  private static String kubernetesServiceIp(CoreV1Api core) throws ApiException {
    return core.readNamespacedService("kubernetes", "default").execute().getSpec().getClusterIP();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ClusterNetworkingE2E.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
