package io.sparkk8s.bench;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.CompiledJob;
import java.util.List;

/**
 * The floor: the objects of a {@link CompiledJob} created with client-java's typed calls and
 * nothing else (no compile, no conflict handling, no watch, no pruning), in the SDK's order:
 * the driver pod, then the objects it owns. Prepared before the clock starts.
 *
 * <pre>{@code
 * RawFloor.Prepared job = RawFloor.prepare(SparkCompiler.compile(pi));
 * long start = System.nanoTime();
 * floor.create(job);
 * }</pre>
 */
final class RawFloor {
  private final CoreV1Api core;

  RawFloor(ApiClient client) {
    this.core = new CoreV1Api(client);
  }

  /** The objects, taken out of the compiled job in advance. */
  record Prepared(String namespace, V1Pod driver, List<KubernetesObject> owned) {}

  static Prepared prepare(CompiledJob compiled) {
    V1Pod driver = compiled.driverPod();
    if (driver.getSpec().getOverhead() != null && driver.getSpec().getOverhead().isEmpty()) {
      // client-java's models start maps empty; an empty overhead is rejected by the RuntimeClass
      // admission plugin, so the typed call needs it unset (the SDK prunes all empty maps instead).
      driver.getSpec().setOverhead(null);
    }
    return new Prepared(compiled.namespace(), driver, compiled.ownedResources());
  }

  /** Creates the driver pod, then the owned objects with the pod as their owner. */
  V1Pod create(Prepared job) throws ApiException {
    V1Pod created = core.createNamespacedPod(job.namespace(), job.driver()).execute();
    V1OwnerReference owner = new V1OwnerReference().apiVersion("v1").kind("Pod")
        .name(created.getMetadata().getName()).uid(created.getMetadata().getUid()).controller(true);
    for (KubernetesObject o : job.owned()) {
      o.getMetadata().setOwnerReferences(List.of(owner));
      if (o instanceof V1Service service) {
        core.createNamespacedService(job.namespace(), service).execute();
      } else if (o instanceof V1ConfigMap configMap) {
        core.createNamespacedConfigMap(job.namespace(), configMap).execute();
      } else {
        throw new IllegalArgumentException("the floor creates pods, services and configmaps, not " + o.getKind());
      }
    }
    return created;
  }

  /** Creates only the driver pod (tracking-scale jobs: nothing else is watched). */
  V1Pod createDriver(V1Pod driver, String namespace) throws ApiException {
    return core.createNamespacedPod(namespace, driver).execute();
  }
}
