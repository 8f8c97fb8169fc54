package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.sparkk8s.spec.SparkJob;
import java.util.List;

/**
 * What the SDK adds to every pod beyond Spark, applied alike to the driver pod and to the executor
 * pod template: the {@code restricted} Pod Security level's settings, no service-link variables
 * (thousands of Services otherwise overflow the argument list), tolerations and priority class.
 */
final class PodHardening {
  private PodHardening() {}

  static void applyToPod(V1PodSpec spec, SparkJob job) {
    spec.setEnableServiceLinks(false);
    job.priorityClassName().ifPresent(spec::setPriorityClassName);
    job.tolerations().forEach(t -> spec.addTolerationsItem(new V1Toleration()
        .key(t.key().orElse(null))
        .operator(t.operator())
        .value(t.value().orElse(null))
        .effect(t.effect().orElse(null))
        .tolerationSeconds(t.tolerationSeconds().orElse(null))));
    if (job.restrictedSecurityContext()) {
      spec.setSecurityContext(new V1PodSecurityContext()
          .runAsNonRoot(true)
          .runAsUser(job.runAsUser())
          .runAsGroup(job.runAsUser())
          .fsGroup(job.runAsUser())
          .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")));
    }
  }

  static void applyToContainer(V1Container container, SparkJob job) {
    if (job.restrictedSecurityContext()) {
      container.setSecurityContext(new V1SecurityContext()
          .runAsNonRoot(true)
          .allowPrivilegeEscalation(false)
          .capabilities(new V1Capabilities().drop(List.of("ALL"))));
    }
  }
}
