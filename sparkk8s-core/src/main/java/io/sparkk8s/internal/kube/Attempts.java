package io.sparkk8s.internal.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.VolcanoPodGroup;
import io.sparkk8s.spec.RetryPolicy.Outcome;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The pure part of retries: how attempts are named and labelled, how an attempt's end is
 * classified, and the job's record (a ConfigMap holding the policy, the objects of the attempts to
 * come and the end of each attempt), which lets another client that only {@code attach}es continue.
 */
public final class Attempts {
  /** On every attempt's driver pod and on the record: the first attempt's application id. */
  public static final String JOB_LABEL = "sparkk8s.io/job-id";
  /** On every attempt's driver pod: its number, from 1. */
  public static final String ATTEMPT_LABEL = "sparkk8s.io/attempt";

  private Attempts() {}

  /**
   * The objects of one attempt, in creation order: those created before the driver (a Volcano
   * PodGroup), the driver, those it owns.
   */
  public record Objects(int number, String appId, List<KubernetesObject> pre, V1Pod driver,
      List<KubernetesObject> owned) {
    String driverName() {
      return driver.getMetadata().getName();
    }
  }

  /** The job of attempt {@code n}: the same description with the attempt's application id. */
  public static SparkJob attemptJob(SparkJob job, String jobId, int n) {
    return n == 1 ? job : job.withAppId(JobAttempt.appIdOf(jobId, n));
  }

  /** The objects of attempt {@code n} of {@code job}, labelled as such. */
  public static Objects compile(SparkJob job, String jobId, int n) {
    CompiledJob compiled = SparkCompiler.compile(attemptJob(job, jobId, n));
    V1Pod driver = Retentions.annotate(compiled.driverPod(), job);
    return label(new Objects(n, compiled.appId(), compiled.preResources(), driver,
        compiled.ownedResources()), jobId);
  }

  private static Objects label(Objects o, String jobId) {
    o.driver().getMetadata().putLabelsItem(JOB_LABEL, jobId)
        .putLabelsItem(ATTEMPT_LABEL, Integer.toString(o.number()));
    return o;
  }

  static int attemptOf(V1Pod pod) {
    var labels = pod.getMetadata().getLabels();
    String n = labels == null ? null : labels.get(ATTEMPT_LABEL);
    try {
      return n == null ? 1 : Integer.parseInt(n);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static Optional<String> jobIdOf(V1Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(JOB_LABEL));
  }

  // ---- the record ------------------------------------------------------------------------

  /** The record's name: the first attempt's prefix, so it sorts beside the job's objects. */
  public static String recordName(String resourcePrefix) {
    return resourcePrefix + "-attempts";
  }

  /**
   * The record of a job: its policy, its start timeout and the objects of every attempt. Holds
   * what the job's own ConfigMaps and pods hold already, so no credential (those stay in Secrets
   * that the pods reference).
   */
  public static V1ConfigMap record(SparkJob job, String jobId, String resourcePrefix,
      RetryPolicy policy) {
    V1ConfigMap cm = new V1ConfigMap().apiVersion("v1").kind("ConfigMap");
    cm.setMetadata(new io.kubernetes.client.openapi.models.V1ObjectMeta()
        .name(recordName(resourcePrefix)).namespace(job.namespace())
        .putLabelsItem(JOB_LABEL, jobId)
        .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"));
    cm.putDataItem("policy", policyText(policy));
    job.startTimeout().ifPresent(t -> cm.putDataItem("startTimeout", t.toString()));
    for (int n = 1; n <= policy.maxAttempts(); n++) {
      Objects o = compile(job, jobId, n);
      JsonArray all = new JsonArray();
      o.pre().forEach(x -> all.add(Manifests.pruned(x)));
      all.add(Manifests.pruned(o.driver()));
      o.owned().forEach(x -> all.add(Manifests.pruned(x)));
      cm.putDataItem("attempt-" + n + ".json", all.toString());
    }
    return cm;
  }

  /** Attempt {@code n}'s objects from a record. */
  static Optional<Objects> fromRecord(V1ConfigMap record, String jobId, int n) {
    String text = record.getData() == null ? null : record.getData().get("attempt-" + n + ".json");
    if (text == null) {
      return Optional.empty();
    }
    V1Pod driver = null;
    List<KubernetesObject> pre = new ArrayList<>();
    List<KubernetesObject> owned = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(text).getAsJsonArray()) {
      String kind = e.getAsJsonObject().get("kind").getAsString();
      Class<? extends KubernetesObject> type = switch (kind) {
        case "Pod" -> V1Pod.class;
        case "Service" -> V1Service.class;
        case "ConfigMap" -> V1ConfigMap.class;
        case "Secret" -> V1Secret.class;
        case "PersistentVolumeClaim" -> V1PersistentVolumeClaim.class;
        case VolcanoPodGroup.KIND -> VolcanoPodGroup.class;
        default -> throw new IllegalStateException("unexpected kind " + kind + " in the record");
      };
      KubernetesObject o = JSON.deserialize(e.toString(), type);
      if (driver == null && o instanceof V1Pod p) {
        driver = p;
      } else if (driver == null) {
        pre.add(o);
      } else {
        owned.add(o);
      }
    }
    return Optional.of(label(new Objects(n, PodFacts.appIdOf(driver), pre, driver, owned),
        jobId));
  }

  static Optional<Duration> startTimeoutOf(V1ConfigMap record) {
    return Optional.ofNullable(record.getData().get("startTimeout")).map(Duration::parse);
  }

  static String policyText(RetryPolicy p) {
    Properties props = new Properties();
    props.setProperty("maxAttempts", Integer.toString(p.maxAttempts()));
    props.setProperty("retryOn", String.join(",", p.retryOn().stream().map(Enum::name).toList()));
    props.setProperty("initialBackoff", p.initialBackoff().toString());
    props.setProperty("multiplier", Double.toString(p.multiplier()));
    props.setProperty("maxBackoff", p.maxBackoff().toString());
    props.setProperty("jitter", Double.toString(p.jitter()));
    return store(props);
  }

  static RetryPolicy policyOf(V1ConfigMap record) {
    Properties p = load(record.getData().get("policy"));
    EnumSet<Outcome> on = EnumSet.noneOf(Outcome.class);
    Arrays.stream(p.getProperty("retryOn", "").split(",")).filter(s -> !s.isBlank())
        .map(Outcome::valueOf).forEach(on::add);
    return RetryPolicy.builder()
        .maxAttempts(Integer.parseInt(p.getProperty("maxAttempts")))
        .retryOn(on)
        .initialBackoff(Duration.parse(p.getProperty("initialBackoff")))
        .multiplier(Double.parseDouble(p.getProperty("multiplier")))
        .maxBackoff(Duration.parse(p.getProperty("maxBackoff")))
        .jitter(Double.parseDouble(p.getProperty("jitter")))
        .build();
  }

  /** The record entry of an ended attempt: its final state and when it ended. */
  static Map<String, String> endEntry(int n, JobState end, Instant endedAt) {
    Properties p = new Properties();
    p.setProperty("phase", end.phase().name());
    p.setProperty("reason", end.reason());
    p.setProperty("message", end.message());
    end.exitCode().ifPresent(c -> p.setProperty("exitCode", Integer.toString(c)));
    p.setProperty("endedAt", endedAt.toString());
    return Map.of("ended-" + n, store(p));
  }

  /** An ended attempt as the record has it. */
  record Ended(JobState state, Instant endedAt) {}

  static Optional<Ended> ended(V1ConfigMap record, int n) {
    String text = record == null || record.getData() == null ? null
        : record.getData().get("ended-" + n);
    if (text == null) {
      return Optional.empty();
    }
    Properties p = load(text);
    JobPhase phase = JobPhase.valueOf(p.getProperty("phase"));
    String code = p.getProperty("exitCode");
    JobState state = code == null
        ? JobState.ended(phase, p.getProperty("reason", ""), p.getProperty("message", ""))
        : JobState.ended(phase, Integer.parseInt(code), p.getProperty("reason", ""),
            p.getProperty("message", ""));
    return Optional.of(new Ended(state, Instant.parse(p.getProperty("endedAt"))));
  }

  private static String store(Properties p) {
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Properties.store writes a date comment first; drop it so equal records are equal text.
    return w.toString().lines().filter(l -> !l.startsWith("#"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private static Properties load(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text == null ? "" : text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
