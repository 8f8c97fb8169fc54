package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;

/**
 * What the namespace watch keeps of a Spark pod: only the fields the state machine, the metrics,
 * retention and retries read. A driver pod as the API server sends it is about 7.5 KB of JSON, 3 KB
 * of it {@code managedFields} and most of the rest its spec (containers, env, volumes), which
 * nothing reads after submission; a service tracking ten thousand jobs holds one per job, plus its
 * executors. This is the definition of the slim pod; the watch reads pods from JSON straight into
 * it ({@link SlimPodReader}, held equal to it by {@code SlimPodReaderTest}) rather than building
 * the full pod and trimming it (the idea of client-go's {@code TransformFunc}, applied while
 * reading), and the event handlers see the same slim pod.
 *
 * <p>Kept: name, namespace, uid, resourceVersion, labels, annotations, creation and deletion
 * times; {@code spec.nodeName}; the phase, reason and message, the {@code PodScheduled}
 * condition, and per container its name and state (waiting reason and message; running start; terminated exit code, reason,
 * message, start and end). {@code CachedPodsTest} checks that every reading of a pod gives the same
 * answer on the slim copy as on the full pod.
 */
final class CachedPods {
  private CachedPods() {}

  /** The slim copy of {@code pod}. */
  static V1Pod slim(V1Pod pod) {
    V1ObjectMeta m = pod.getMetadata();
    V1Pod out = new V1Pod().apiVersion(pod.getApiVersion()).kind(pod.getKind());
    if (m != null) {
      out.metadata(new V1ObjectMeta().name(m.getName()).namespace(m.getNamespace())
          .uid(m.getUid()).resourceVersion(m.getResourceVersion())
          .labels(m.getLabels()).annotations(orNull(m.getAnnotations()))
          .creationTimestamp(m.getCreationTimestamp())
          .deletionTimestamp(m.getDeletionTimestamp())
          .finalizers(null).ownerReferences(null).managedFields(null));
    }
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      out.spec(slimSpec(pod.getSpec().getNodeName()));
    }
    V1PodStatus s = pod.getStatus();
    if (s != null) {
      V1PodStatus st = new V1PodStatus().phase(s.getPhase()).reason(s.getReason())
          .message(s.getMessage());
      if (s.getConditions() != null) {
        // Only PodScheduled is read: when the driver was scheduled, or why it cannot be.
        st.conditions(s.getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
            .map(CachedPods::condition).toList());
      }
      if (s.getContainerStatuses() != null) {
        st.containerStatuses(s.getContainerStatuses().stream().map(CachedPods::container)
            .toList());
      }
      out.status(nullEmpty(st));
    }
    return out;
  }

  /** The slim spec: only the node the pod is bound to. */
  static V1PodSpec slimSpec(String nodeName) {
    // containers is required by the model's validation, which only runs on JSON input.
    return new V1PodSpec().nodeName(nodeName).containers(null)
        .overhead(null).nodeSelector(null).ephemeralContainers(null).hostAliases(null)
        .imagePullSecrets(null).initContainers(null).readinessGates(null).resourceClaims(null)
        .schedulingGates(null).tolerations(null).topologySpreadConstraints(null).volumes(null);
  }

  private static V1PodCondition condition(V1PodCondition c) {
    return new V1PodCondition().type(c.getType()).status(c.getStatus()).reason(c.getReason())
        .message(c.getMessage()).lastTransitionTime(c.getLastTransitionTime());
  }

  private static V1ContainerStatus container(V1ContainerStatus c) {
    return new V1ContainerStatus().name(c.getName()).ready(c.getReady())
        .restartCount(c.getRestartCount()).state(state(c.getState()))
        .allocatedResources(null).allocatedResourcesStatus(null).volumeMounts(null);
  }

  private static V1ContainerState state(V1ContainerState s) {
    if (s == null) {
      return null;
    }
    V1ContainerState out = new V1ContainerState();
    if (s.getWaiting() != null) {
      out.waiting(new V1ContainerStateWaiting().reason(s.getWaiting().getReason())
          .message(s.getWaiting().getMessage()));
    }
    if (s.getRunning() != null) {
      out.running(s.getRunning());
    }
    V1ContainerStateTerminated t = s.getTerminated();
    if (t != null) {
      out.terminated(new V1ContainerStateTerminated().exitCode(t.getExitCode())
          .reason(t.getReason()).message(t.getMessage()).startedAt(t.getStartedAt())
          .finishedAt(t.getFinishedAt()).signal(t.getSignal()));
    }
    return out;
  }

  /**
   * Annotations, or null for none: the model starts them as an empty map, 48 bytes of every cached
   * pod, and most of the pods a service tracks carry none.
   */
  static java.util.Map<String, String> orNull(java.util.Map<String, String> annotations) {
    return annotations == null || annotations.isEmpty() ? null : annotations;
  }

  /** client-java's models start some lists as empty lists; the cache has no use for them. */
  static V1PodStatus nullEmpty(V1PodStatus st) {
    return st.ephemeralContainerStatuses(null).initContainerStatuses(null).hostIPs(null)
        .podIPs(null).resourceClaimStatuses(null).allocatedResources(null)
        .nodeAllocatableResourceClaimStatuses(null);
  }
}
