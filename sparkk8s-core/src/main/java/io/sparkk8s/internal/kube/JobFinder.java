package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.api.ApiErrors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds jobs already on the cluster ({@code attach}, {@code list}) and follows them: a retried job
 * by its record ({@link RetriedJobs#find}), any other by its driver pod. What is found is never
 * deleted by this client.
 */
final class JobFinder {
  private final JobRuntime runtime;
  private final CoreV1Api core;

  JobFinder(JobRuntime runtime, CoreV1Api core) {
    this.runtime = runtime;
    this.core = core;
  }

  SparkJobHandle attach(String namespace, String driverPodName) {
    V1Pod pod = runtime.pods.get(namespace, driverPodName);
    Optional<KubeJobHandle> continued = runtime.retried.find(namespace, pod);
    if (continued.isPresent()) {
      return continued.get();
    }
    KubeJobHandle handle = follow(namespace, pod);
    runtime.tracker.watch(namespace).refresh(handle);
    return handle;
  }

  List<SparkJobHandle> list(String namespace, String labelSelector) {
    String selector = "spark-role=driver" + (labelSelector == null || labelSelector.isBlank()
        ? "" : "," + labelSelector);
    List<V1Pod> pods = runtime.retry.call(new ApiErrors.Target("list", "Pod", namespace, selector),
        () -> core.listNamespacedPod(namespace).labelSelector(selector).execute().getItems());
    // A set: a retried job's attempts are one handle (a list scan per pod was quadratic: 50
    // million comparisons for 10,000 jobs).
    Set<SparkJobHandle> out = new LinkedHashSet<>();
    for (V1Pod pod : pods) {
      out.add(runtime.retried.find(namespace, pod).orElseGet(() -> follow(namespace, pod)));
    }
    if (!out.isEmpty()) {
      runtime.tracker.watch(namespace); // after the handles are tracked: see Tracker
    }
    return new ArrayList<>(out);
  }

  /**
   * The handle of a driver found. Anyone may give a pod another's application id: only the pod a
   * handle follows feeds its state.
   */
  private KubeJobHandle follow(String ns, V1Pod pod) {
    String name = pod.getMetadata().getName();
    KubeJobHandle h = runtime.handleFor(ns, name, PodFacts.appIdOf(pod), false);
    if (h.name().equals(name)) {
      h.observeMetrics(h.appId(), Timings.of(pod, null));
      h.historyServerFrom(pod);
      h.observe(DriverStates.fromPod(pod));
    }
    return h;
  }
}
