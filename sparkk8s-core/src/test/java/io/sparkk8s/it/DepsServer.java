package io.sparkk8s.it;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An HTTP server of a job's dependencies inside the test's namespace, as an artifact server
 * (Nexus, Artifactory, a bucket's HTTPS endpoint) serves them to a real cluster: Python's own
 * {@code http.server} in the Spark image, serving the files of a ConfigMap, behind a Service.
 */
final class DepsServer {
  static final int PORT = 8000;

  private DepsServer() {}

  /**
   * Serves {@code files} (name to content) in the namespace and returns the base URL drivers and
   * executors fetch them from, once the server answers.
   */
  static String start(CoreV1Api core, TestNamespace ns, String image, Map<String, byte[]> files)
      throws ApiException {
    String name = "deps";
    core.createNamespacedConfigMap(ns.name(), new V1ConfigMap()
        .metadata(new V1ObjectMeta().name(name)).binaryData(files)).execute();
    Map<String, String> labels = Map.of("app", name);
    V1SecurityContext restricted = new V1SecurityContext().allowPrivilegeEscalation(false)
        .capabilities(new V1Capabilities().drop(List.of("ALL")));
    core.createNamespacedPod(ns.name(), new V1Pod()
        .metadata(new V1ObjectMeta().name(name).labels(labels))
        // overhead(null): client-java's empty default is refused without a RuntimeClass.
        .spec(new V1PodSpec().overhead(null)
            .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .addContainersItem(new V1Container().name("http").image(image)
                .imagePullPolicy("IfNotPresent")
                .command(List.of("python3", "-m", "http.server", Integer.toString(PORT),
                    "--directory", "/srv", "--bind", "0.0.0.0"))
                .addPortsItem(new V1ContainerPort().containerPort(PORT))
                .readinessProbe(new V1Probe().periodSeconds(1)
                    .tcpSocket(new V1TCPSocketAction().port(new IntOrString(PORT))))
                .securityContext(restricted)
                .addVolumeMountsItem(new V1VolumeMount().name("files").mountPath("/srv")))
            .addVolumesItem(new V1Volume().name("files")
                .configMap(new V1ConfigMapVolumeSource().name(name))))).execute();
    core.createNamespacedService(ns.name(), new V1Service()
        .metadata(new V1ObjectMeta().name(name))
        .spec(new V1ServiceSpec().selector(labels)
            .addPortsItem(new V1ServicePort().port(PORT).targetPort(new IntOrString(PORT)))))
        .execute();
    await("the dependency server ready").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          V1Pod pod = core.readNamespacedPod(name, ns.name()).execute();
          return pod.getStatus() != null && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    return "http://" + name + "." + ns.name() + ".svc:" + PORT;
  }

  /** A file the tests serve, from the test resources beside this class ({@code pybatch/main.py}). */
  static byte[] resource(String path) throws IOException {
    try (InputStream in = DepsServer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    }
  }
}
