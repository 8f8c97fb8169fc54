package io.sparkk8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.internal.compile.ApplyManifest;
import io.sparkk8s.internal.compile.JobCompiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * The Kubernetes objects of one {@link io.sparkk8s.spec.SparkJob}, exactly those Spark's
 * cluster-mode submission creates (driver pod, headless Service, properties ConfigMap) plus the
 * executor pod template ConfigMap that carries the SDK's pod hardening to executors.
 *
 * <pre>{@code
 * CompiledJob compiled = SparkCompiler.compile(job);
 * V1Pod driver = compiled.driverPod();
 * Files.writeString(Path.of("pi.yaml"), compiled.toYaml());   // kubectl apply -f pi.yaml, see toYaml
 * }</pre>
 *
 * <p>Accessors return fresh copies: changing them never changes this value. Objects carry no
 * owner references; the client adds them after the driver pod exists (its uid is needed), so that
 * deleting the driver deletes the rest; {@link #toYaml()} carries the commands that do it after a
 * {@code kubectl apply}.
 */
public final class CompiledJob {
  private final JobCompiler.Output output;

  private CompiledJob(JobCompiler.Output output) {
    this.output = output;
  }

  static CompiledJob of(JobCompiler.Output output) {
    return new CompiledJob(output);
  }

  /** {@code spark.app.id}, also the {@code spark-app-selector} label of every pod. */
  public String appId() {
    return output.context().names().appId();
  }

  /** The namespace of every object. */
  public String namespace() {
    return output.context().job().namespace();
  }

  /** The driver pod's name. */
  public String driverPodName() {
    return output.context().names().driverPodName();
  }

  /** The prefix of every object name (and of executor pod names). */
  public String resourcePrefix() {
    return output.context().names().resourcePrefix();
  }

  /** The driver pod, with its container, volumes and labels. */
  public V1Pod driverPod() {
    return copy(output.driverPod(), V1Pod.class);
  }

  /** The CPU the driver pod requests, in millicores: the room a scheduler must find for it. */
  public long driverCpuMillis() {
    return requested("cpu", 1000);
  }

  /** The memory the driver pod requests, in bytes (Spark's overhead included). */
  public long driverMemoryBytes() {
    return requested("memory", 1);
  }

  private long requested(String resource, int scale) {
    long sum = 0;
    for (var c : output.driverPod().getSpec().getContainers()) {
      if (c.getResources() != null && c.getResources().getRequests() != null
          && c.getResources().getRequests().get(resource) != null) {
        sum += c.getResources().getRequests().get(resource).getNumber()
            .multiply(java.math.BigDecimal.valueOf(scale)).longValue();
      }
    }
    return sum;
  }

  /** The headless Service executors reach the driver through. */
  public V1Service driverService() {
    return output.resources().stream().filter(V1Service.class::isInstance)
        .map(s -> copy((V1Service) s, V1Service.class)).findFirst().orElseThrow();
  }

  /** The ConfigMap holding {@code spark.properties}, mounted at {@code /opt/spark/conf}. */
  public V1ConfigMap configMap() {
    return copy(output.configMap(), V1ConfigMap.class);
  }

  /**
   * The objects created before the driver pod: the Volcano PodGroup of a job with
   * {@link io.sparkk8s.spec.GangScheduling#volcano() Volcano gang scheduling}, empty otherwise. The
   * client makes the driver their owner once it exists, as Spark does with its pre-resources.
   */
  public List<KubernetesObject> preResources() {
    List<KubernetesObject> out = new ArrayList<>();
    for (KubernetesObject o : output.preResources()) {
      out.add(copy(o, o.getClass()));
    }
    return out;
  }

  /** The objects created after the driver pod and owned by it (Service, ConfigMaps, claims). */
  public List<KubernetesObject> ownedResources() {
    List<KubernetesObject> out = new ArrayList<>();
    for (KubernetesObject o : output.resources()) {
      out.add(copy(o, o.getClass()));
    }
    return out;
  }

  /**
   * Every object in the order the client creates them: the {@link #preResources()}, the driver
   * pod, then the {@link #ownedResources()}.
   */
  public List<KubernetesObject> objects() {
    List<KubernetesObject> out = new ArrayList<>(preResources());
    out.add(driverPod());
    out.addAll(ownedResources());
    return out;
  }

  /** The driver's {@code spark.properties}, sorted by key. */
  public SortedMap<String, String> sparkProperties() {
    return Collections.unmodifiableSortedMap(output.sparkProperties());
  }

  /**
   * All objects as a multi-document YAML stream for {@code kubectl apply -f}, like
   * {@code helm template}, in the order kubectl should create them: the {@link #preResources()}
   * and {@link #ownedResources()} first, the driver pod last, so the ConfigMaps it mounts exist
   * when it starts. Deterministic: the same job gives the same text.
   *
   * <p>A leading comment holds the shell commands to run after the apply: they make the driver
   * pod the owner of the other objects (an owner reference needs the pod's uid), so that deleting
   * the driver deletes them, as with a job the client submits:
   *
   * <pre>
   * # Then make the driver the owner of the rest, ...
   * #   uid=$(kubectl -n jobs get pod pi-0a1b2c3d4e5f-driver -o jsonpath='{.metadata.uid}')
   * #   for o in service/pi-0a1b2c3d4e5f-driver-svc configmap/...; do
   * #     kubectl -n jobs patch "$o" --type=merge -p '{"metadata":{"ownerReferences":[...]}}'
   * #   done
   * </pre>
   */
  public String toYaml() {
    return ApplyManifest.render(output.preResources(), output.driverPod(), output.resources());
  }

  @Override
  public String toString() {
    return "CompiledJob{" + namespace() + "/" + driverPodName() + ", appId=" + appId() + "}";
  }

  private static <T> T copy(Object o, Class<T> type) {
    return JSON.deserialize(JSON.serialize(o), type);
  }
}
