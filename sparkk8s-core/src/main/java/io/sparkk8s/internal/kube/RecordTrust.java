package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.sparkk8s.RecordKey;
import io.sparkk8s.spec.RetryPolicy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether this client may act on a retry record it reads back from the cluster. A record is data
 * that anyone who may create ConfigMaps in the namespace can write (every Spark driver can, with
 * the Role the SDK makes), so it is obeyed only when its {@link RecordSeal} tag verifies under a
 * key this client holds: the caller's {@link RecordKey}, or a random key of this client instance,
 * which seals the records it writes when no key is configured. Then its attempts are replayed
 * only as {@link Confinement} allows. Any other record is followed read only: its jobs are
 * reported from their pods and never retried, killed or deleted, with one WARN per job saying why
 * and what to configure.
 */
final class RecordTrust {
  /** Jobs and pods already warned about; bounded: a namespace may hold any number of them. */
  private static final int MAX_WARNED = 10_000;

  private final Optional<RecordKey> configured;
  private final SecretKey own;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  RecordTrust(Optional<RecordKey> configured) {
    this.configured = configured;
    byte[] random = new byte[RecordKey.MIN_BYTES];
    new SecureRandom().nextBytes(random);
    this.own = new SecretKeySpec(random, "HmacSHA256");
  }

  /** What a trusted record says: the policy and start timeout, each attempt's checked objects. */
  record Replay(RetryPolicy policy, Optional<Duration> startTimeout,
      IntFunction<Optional<Attempts.Objects>> objects) {}

  /** {@code record}, tagged with the configured key or else this client's own. */
  V1ConfigMap seal(V1ConfigMap record) {
    var m = record.getMetadata();
    m.putAnnotationsItem(RecordSeal.TAG, RecordSeal.tag(sealing(), m.getNamespace(), m.getName(),
        m.getLabels().get(Attempts.JOB_LABEL), record.getData()));
    return record;
  }

  /** The annotation that seals attempt {@code n}'s end {@code entry} in {@code record}. */
  Map<String, String> sealEnd(V1ConfigMap record, int n, String entry) {
    return Map.of(RecordSeal.END_TAG_PREFIX + n,
        RecordSeal.endTag(sealing(), record.getMetadata().getUid(), n, entry));
  }

  /** Why {@code record} of job {@code jobId} in {@code ns} is not to be obeyed; empty if it is. */
  Optional<String> distrust(V1ConfigMap record, String ns, String jobId) {
    var m = record.getMetadata();
    if (!ns.equals(m.getNamespace())
        || !jobId.equals(m.getLabels() == null ? null : m.getLabels().get(Attempts.JOB_LABEL))) {
      return Optional.of("it is not the record of job " + jobId + " in " + ns);
    }
    String tag = m.getAnnotations() == null ? null : m.getAnnotations().get(RecordSeal.TAG);
    if (tag == null) {
      return Optional.of("it has no integrity tag (" + RecordSeal.TAG + ")");
    }
    boolean valid = keys().anyMatch(k -> RecordSeal.verify(k, ns, m.getName(), jobId,
        record.getData(), tag));
    if (valid) {
      return Optional.empty();
    }
    return Optional.of(configured.map(k -> "its tag does not verify under this client's record"
            + " key " + k.id() + " (another key wrote it, or it was changed since)")
        .orElse("this client did not write it and has no record key to check its tag with"));
  }

  /**
   * What to replay from {@code record}, when it is trusted and readable; else empty, after a WARN
   * (once per job) that its jobs are followed read only.
   */
  Optional<Replay> replay(V1ConfigMap record, String ns, String jobId) {
    Optional<String> why = distrust(record, ns, jobId);
    if (why.isPresent()) {
      warnReadOnly(ns, jobId, record.getMetadata().getName(), why.get());
      return Optional.empty();
    }
    try {
      RetryPolicy policy = Attempts.policyOf(record);
      Optional<Duration> startTimeout = Attempts.startTimeoutOf(record);
      IntFunction<Optional<Attempts.Objects>> objects =
          n -> n < 1 || n > policy.maxAttempts() ? Optional.empty() : attempt(record, ns, jobId, n);
      return Optional.of(new Replay(policy, startTimeout, objects));
    } catch (RuntimeException e) {
      warnReadOnly(ns, jobId, record.getMetadata().getName(), "it cannot be read: " + e);
      return Optional.empty();
    }
  }

  /** Attempt {@code n}'s objects from a trusted record, if they pass {@link Confinement}. */
  private Optional<Attempts.Objects> attempt(V1ConfigMap record, String ns, String jobId, int n) {
    List<String> problems;
    Optional<Attempts.Objects> o;
    try {
      o = Attempts.fromRecord(record, jobId, n);
      problems = o.map(x -> Confinement.problems(x, ns, jobId)).orElse(List.of());
    } catch (RuntimeException e) {
      o = Optional.empty();
      problems = List.of("it cannot be read: " + e);
    }
    if (!problems.isEmpty()) {
      Log.LOG.warn("{}/{}: attempt {} of job {} is not what the SDK writes for an"
          + " attempt, so it is never created: {}", ns, record.getMetadata().getName(), n, jobId,
          String.join("; ", problems));
      return Optional.empty();
    }
    return o;
  }

  /** Attempt {@code n}'s end as {@code record} has it, if its own tag verifies. */
  Optional<Attempts.Ended> end(V1ConfigMap record, int n) {
    if (record == null || record.getData() == null) {
      return Optional.empty();
    }
    String entry = record.getData().get("ended-" + n);
    Map<String, String> a = record.getMetadata().getAnnotations();
    String tag = a == null ? null : a.get(RecordSeal.END_TAG_PREFIX + n);
    String uid = record.getMetadata().getUid();
    if (entry == null || keys().noneMatch(k -> RecordSeal.verifyEnd(k, uid, n, entry, tag))) {
      return Optional.empty();
    }
    try {
      return Attempts.ended(record, n);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code warn} the first time {@code about} is warned about (a bounded memory). */
  void warnOnce(String about, Runnable warn) {
    if (warned.size() > MAX_WARNED) {
      warned.clear();
    }
    if (warned.add(about)) {
      warn.run();
    }
  }

  private void warnReadOnly(String ns, String jobId, String record, String why) {
    warnOnce("job " + ns + "/" + jobId, () -> Log.LOG.warn("Retry record {}/{} of job {} is not trusted: {}. Its attempts are"
          + " followed read only (reported from their pods; never retried, nor stopped at a start"
          + " timeout, nor deleted at a retention by this client). To continue the retries of jobs another client submitted, give both"
          + " clients the same RecordKey (SparkKubernetes.fromKubeconfig(..., RecordKey),"
          + " inCluster(RecordKey), using(client, apiRetry, RecordKey)).", ns, record, jobId, why));
  }

  private SecretKey sealing() {
    return configured.map(RecordKey::secretKey).orElse(own);
  }

  private Stream<SecretKey> keys() {
    return Stream.concat(configured.map(RecordKey::secretKey).stream(), Stream.of(own));
  }
}
