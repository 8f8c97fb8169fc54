package io.sparkk8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * The Kubernetes objects of one {@link io.sparkk8s.spec.SparkJob}, exactly those Spark's
 * cluster-mode submission creates (driver pod, headless Service, properties ConfigMap) plus the
 * executor pod template ConfigMap that carries the SDK's pod hardening to executors. Made by
 * {@link SparkCompiler#compile(io.sparkk8s.spec.SparkJob)}; the client submits only the ones it
 * compiles itself.
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
public interface CompiledJob {

  /** {@code spark.app.id}, also the {@code spark-app-selector} label of every pod. */
  String appId();

  /** The namespace of every object. */
  String namespace();

  /** The driver pod's name. */
  String driverPodName();

  /** The prefix of every object name (and of executor pod names). */
  String resourcePrefix();

  /** The driver pod, with its container, volumes and labels. */
  V1Pod driverPod();

  /** The CPU the driver pod requests, in millicores: the room a scheduler must find for it. */
  long driverCpuMillis();

  /** The memory the driver pod requests, in bytes (Spark's overhead included). */
  long driverMemoryBytes();

  /** The headless Service executors reach the driver through. */
  V1Service driverService();

  /** The ConfigMap holding {@code spark.properties}, mounted at {@code /opt/spark/conf}. */
  V1ConfigMap configMap();

  /**
   * The objects created before the driver pod: the Volcano PodGroup of a job with
   * {@link io.sparkk8s.spec.GangScheduling#volcano() Volcano gang scheduling}, empty otherwise. The
   * client makes the driver their owner once it exists, as Spark does with its pre-resources.
   */
  List<KubernetesObject> preResources();

  /** The objects created after the driver pod and owned by it (Service, ConfigMaps, claims). */
  List<KubernetesObject> ownedResources();

  /**
   * Every object in the order the client creates them: the {@link #preResources()}, the driver
   * pod, then the {@link #ownedResources()}.
   */
  default List<KubernetesObject> objects() {
    List<KubernetesObject> out = new ArrayList<>(preResources());
    out.add(driverPod());
    out.addAll(ownedResources());
    return out;
  }

  /** The driver's {@code spark.properties}, sorted by key. */
  SortedMap<String, String> sparkProperties();

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
  String toYaml();
}
