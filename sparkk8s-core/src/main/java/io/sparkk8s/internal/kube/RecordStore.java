package io.sparkk8s.internal.kube;

import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.JobState;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes the retry records of jobs and lists their attempts' drivers. What is read is
 * data: whether to obey it is {@link RecordTrust}'s and {@link AttemptNumbers}' to say.
 */
final class RecordStore {
  private final ApiClient api;
  private final CoreV1Api core;
  private final ApiRetry retry;
  private final RecordTrust trust;

  RecordStore(ApiClient api, ApiRetry retry, RecordTrust trust) {
    this.api = api;
    this.core = new CoreV1Api(api);
    this.retry = retry;
    this.trust = trust;
  }

  /** Every driver pod labelled with the job's id: its attempts, and whatever else claims to be. */
  List<V1Pod> drivers(String ns, String jobId) {
    String selector = "spark-role=driver," + Attempts.JOB_LABEL + "=" + jobId;
    return retry.call(new ApiErrors.Target("list", "Pod", ns, selector),
        () -> core.listNamespacedPod(ns).labelSelector(selector).execute().getItems());
  }

  /**
   * The job's record. Anyone may label a ConfigMap with the job's id, so a record this client
   * trusts comes first: a planted one cannot hide it.
   */
  Optional<V1ConfigMap> find(String ns, String jobId) {
    String selector = Attempts.JOB_LABEL + "=" + jobId;
    return retry.call(new ApiErrors.Target("list", "ConfigMap", ns, selector),
        () -> core.listNamespacedConfigMap(ns).labelSelector(selector).execute().getItems())
        .stream().filter(c -> c.getData() != null && c.getData().containsKey("policy"))
        .min(Comparator.comparing(c -> trust.distrust(c, ns, jobId).isPresent()));
  }

  /** Writes an attempt's end, with its tag, into the job's record (a merge patch: idempotent). */
  void writeEnd(String ns, String jobId, int n, JobState end, Instant endedAt) {
    try {
      Optional<V1ConfigMap> record = find(ns, jobId);
      if (record.isEmpty()) {
        return;
      }
      JsonObject data = new JsonObject();
      JsonObject tags = new JsonObject();
      Attempts.endEntry(n, end, endedAt).forEach((k, v) -> {
        data.addProperty(k, v);
        trust.sealEnd(record.get(), n, v).forEach(tags::addProperty);
      });
      JsonObject metadata = new JsonObject();
      metadata.add("annotations", tags);
      JsonObject patch = new JsonObject();
      patch.add("data", data);
      patch.add("metadata", metadata);
      String name = record.get().getMetadata().getName();
      retry.call(new ApiErrors.Target("patch", "ConfigMap", ns, name), () -> PatchUtils.patch(
          V1ConfigMap.class,
          () -> core.patchNamespacedConfigMap(name, ns, new V1Patch(patch.toString()))
              .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, api));
    } catch (KubernetesApiException e) {
      Log.LOG.warn("Cannot record the end of attempt {} of {}/{}", n, ns, jobId, e);
    }
  }

  void delete(String ns, String jobId) {
    try {
      for (V1ConfigMap cm : find(ns, jobId).stream().toList()) {
        String name = cm.getMetadata().getName();
        retry.call(new ApiErrors.Target("delete", "ConfigMap", ns, name),
            () -> core.deleteNamespacedConfigMap(name, ns).execute());
      }
    } catch (NotFoundException gone) {
      Log.LOG.debug("Record of {} already gone", jobId);
    }
  }
}
