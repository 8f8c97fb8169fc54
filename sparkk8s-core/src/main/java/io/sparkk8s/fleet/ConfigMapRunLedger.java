package io.sparkk8s.fleet;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.RecordKey;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * A ledger of ConfigMaps in a namespace of the cluster a client reaches: one per run in flight
 * ({@code sparkk8s-run-<hash of the run id>}, deleted at its end), its owner and version in its
 * data, sealed with an HMAC under a {@link RecordKey}. Every scheduler sharing the ledger holds the
 * same key, and a record it cannot verify (planted by anyone who may write ConfigMaps there) is
 * never obeyed: reading it fails, naming it. A move is a replace at the read resourceVersion, so
 * the API server lets exactly one scheduler move a run. Put it on a cluster that outlives the
 * others' outages (a management cluster), in a namespace only the schedulers may write. Needs get,
 * create, update and delete on ConfigMaps there.
 *
 * <pre>{@code
 * RunLedger ledger = new ConfigMapRunLedger(managementClient, "spark-fleet", fleetKey);
 * }</pre>
 */
public final class ConfigMapRunLedger implements RunLedger {
  static final String SEAL = "sparkk8s.io/ledger-hmac";
  private static final String VERSION = "v1:";
  private final CoreV1Api core;
  private final String namespace;
  private final RecordKey key;
  private final ApiRetry retry = new ApiRetry(ApiRetryPolicy.defaults()
      .withMaxElapsed(java.time.Duration.ofSeconds(10)));

  /**
   * A ledger in {@code namespace} of the cluster {@code client} reaches, sealed under {@code key}.
   *
   * @param client the API client of the cluster that keeps the records
   * @param namespace where the records are kept
   * @param key the key every scheduler sharing the ledger holds
   */
  public ConfigMapRunLedger(ApiClient client, String namespace, RecordKey key) {
    this.core = new CoreV1Api(Objects.requireNonNull(client, "client"));
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.key = Objects.requireNonNull(key, "key");
  }

  static String recordName(String runId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
      return "sparkk8s-run-" + HexFormat.of().formatHex(h).substring(0, 40);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<Ownership> owner(String runId) {
    return read(runId).map(Record::owner);
  }

  private record Record(Ownership owner, String resourceVersion) {}

  private Optional<Record> read(String runId) {
    String name = recordName(runId);
    V1ConfigMap cm;
    try {
      cm = retry.call(target("get", name), () -> core.readNamespacedConfigMap(name, namespace)
          .execute());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    String seal = cm.getMetadata().getAnnotations() == null ? null
        : cm.getMetadata().getAnnotations().get(SEAL);
    String cluster = data.get("cluster");
    String version = data.get("version");
    if (cluster == null || version == null || !version.matches("[0-9]{1,18}")
        || !runId.equals(data.get("runId")) || seal == null
        || !MessageDigest.isEqual(seal.getBytes(StandardCharsets.US_ASCII),
            seal(name, runId, cluster, version).getBytes(StandardCharsets.US_ASCII))) {
      throw new SparkK8sException("run record " + namespace + "/" + name + " of run " + runId
          + " is not sealed by this fleet's record key (key " + key.id() + "), so it is not"
          + " obeyed: nothing is placed, moved or deleted by it. Delete it if it was planted, or"
          + " give this fleet the key of the fleet that wrote it");
    }
    return Optional.of(new Record(new Ownership(cluster, Long.parseLong(version)),
        cm.getMetadata().getResourceVersion()));
  }

  @Override
  public Ownership claim(String runId, String cluster) {
    String name = recordName(runId);
    try {
      retry.call(target("create", name), () -> core.createNamespacedConfigMap(namespace,
          record(name, runId, cluster, 1, null)).execute());
      return new Ownership(cluster, 1);
    } catch (ConflictException e) {
      return owner(runId).orElseThrow(() -> new SparkK8sException("run record " + namespace
          + "/" + name + " exists and vanished while read; submit again"));
    }
  }

  @Override
  public boolean move(String runId, Ownership from, String to) {
    Optional<Record> now = read(runId);
    if (now.isEmpty() || !now.get().owner().equals(from)) {
      return false;
    }
    String name = recordName(runId);
    try {
      retry.call(target("replace", name), () -> core.replaceNamespacedConfigMap(name, namespace,
          record(name, runId, to, from.version() + 1, now.get().resourceVersion())).execute());
      return true;
    } catch (ConflictException e) {
      return false; // another writer moved it first
    }
  }

  @Override
  public void release(String runId, Ownership owner) {
    Optional<Record> now = read(runId);
    if (now.isEmpty() || !now.get().owner().equals(owner)) {
      return;
    }
    String name = recordName(runId);
    try {
      retry.call(target("delete", name), () -> core.deleteNamespacedConfigMap(name, namespace)
          .body(new V1DeleteOptions().preconditions(new V1Preconditions()
              .resourceVersion(now.get().resourceVersion()))).execute());
    } catch (NotFoundException | ConflictException e) {
      // gone, or changed meanwhile: then it is not ours to delete
    }
  }

  private V1ConfigMap record(String name, String runId, String cluster, long version,
      String resourceVersion) {
    String v = Long.toString(version);
    return new V1ConfigMap().metadata(new V1ObjectMeta().name(name).namespace(namespace)
        .resourceVersion(resourceVersion)
        .labels(Map.of("app.kubernetes.io/managed-by", "sparkk8s", "sparkk8s.io/record", "run"))
        .annotations(Map.of(SEAL, seal(name, runId, cluster, v))))
        .data(Map.of("runId", runId, "cluster", cluster, "version", v));
  }

  /** HMAC-SHA256 over the record's namespace, name, run, owner and version, length-prefixed. */
  private String seal(String name, String runId, String cluster, String version) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key.secretKey());
      for (String part : new String[] {"sparkk8s-run-ledger", namespace, name, runId, cluster,
          version}) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        mac.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
        mac.update(b);
      }
      return VERSION + HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private ApiErrors.Target target(String operation, String name) {
    return new ApiErrors.Target(operation, "ConfigMap", namespace, name);
  }
}
