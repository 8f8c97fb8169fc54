package io.sparkk8s.internal.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.internal.compile.Manifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One attempt's objects on the API server, created in Spark's order and idempotently: the
 * pre-resources (a PodGroup) before the driver, the driver, then the objects it owns; a retried
 * create takes what it finds only if it is this job's ({@link #sameObject}), and objects a
 * replaced driver left behind are replaced. Every call goes through {@link ApiRetry}; kinds the
 * typed API does not cover are reached by path ({@link #send}).
 */
final class JobObjects {
  private static final Logger LOG = Log.LOG;
  private final ApiClient api;
  private final ApiRetry retry;

  JobObjects(ApiClient api, ApiRetry retry) {
    this.api = api;
    this.retry = retry;
  }

  private <T> T call(ApiErrors.Target target, ApiRetry.Attempt<T> call) {
    return retry.call(target, call);
  }

  /**
   * Creates the objects Spark creates before the driver (its pre-resources: a Volcano PodGroup),
   * without owner: the driver does not exist yet. A retried submit finds them and takes them
   * (same {@code spark-app-selector}); returns those this call created.
   */
  List<KubernetesObject> createPre(List<KubernetesObject> pre) {
    List<KubernetesObject> created = new ArrayList<>();
    for (KubernetesObject o : pre) {
      try {
        create(o, null);
        created.add(o);
      } catch (ConflictException exists) {
        KubernetesObject found = call(new ApiErrors.Target("get", o.getKind(),
            o.getMetadata().getNamespace(), o.getMetadata().getName()),
            () -> JSON.deserialize(send("GET", objectPath(o), null).toString(), o.getClass()));
        if (!sameObject(o, found)) {
          deletePre(created);
          throw exists;
        }
        LOG.debug("{} {} exists already (a retried submit)", o.getKind(), o.getMetadata().getName());
      }
    }
    return created;
  }

  /**
   * Makes the driver the owner of the pre-resources (Spark's {@code Client.run} refreshes their
   * owner references after creating the driver), so they go with the driver: deleted with the job,
   * its retention and its attempts.
   */
  void adopt(List<KubernetesObject> pre, V1Pod driver) {
    JsonObject owner = new JsonObject();
    owner.addProperty("apiVersion", "v1");
    owner.addProperty("kind", "Pod");
    owner.addProperty("name", driver.getMetadata().getName());
    owner.addProperty("uid", driver.getMetadata().getUid());
    owner.addProperty("controller", true);
    JsonArray owners = new JsonArray();
    owners.add(owner);
    JsonObject metadata = new JsonObject();
    metadata.add("ownerReferences", owners);
    JsonObject patch = new JsonObject();
    patch.add("metadata", metadata);
    for (KubernetesObject o : pre) {
      String path = objectPath(o);
      call(new ApiErrors.Target("patch", o.getKind(), o.getMetadata().getNamespace(),
          o.getMetadata().getName()), () -> send("PATCH", path, patch,
              V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH));
    }
  }

  /**
   * Creates the driver; if the API server refuses it (other than because it exists), deletes the
   * pre-resources {@code created} for it, as Spark's {@code Client.run} does. Returns the created
   * driver as far as the client reads it: kind and metadata (name, uid, annotations).
   */
  V1Pod createDriver(V1Pod driver, List<KubernetesObject> created) {
    try {
      ObjectHead head = create(driver, null);
      return new V1Pod().apiVersion(head.getApiVersion()).kind(head.getKind())
          .metadata(head.getMetadata());
    } catch (ConflictException exists) {
      throw exists;
    } catch (KubernetesApiException e) {
      deletePre(created);
      throw e;
    }
  }

  /** Deletes pre-resources of a driver that could not be created, as Spark does. */
  void deletePre(List<KubernetesObject> pre) {
    for (KubernetesObject o : pre) {
      String path = objectPath(o);
      try {
        call(new ApiErrors.Target("delete", o.getKind(), o.getMetadata().getNamespace(),
            o.getMetadata().getName()), () -> send("DELETE", path, null));
      } catch (NotFoundException gone) {
        LOG.debug("{} {} already gone", o.getKind(), o.getMetadata().getName());
      } catch (KubernetesApiException e) {
        LOG.warn("Cannot delete {} {}", o.getKind(), o.getMetadata().getName(), e);
      }
    }
  }

  private String collectionPath(KubernetesObject object) {
    String apiVersion = object.getApiVersion();
    String ns = object.getMetadata().getNamespace();
    return (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion
        + (ns == null ? "" : "/namespaces/" + api.escapeString(ns)) + "/" + plural(object.getKind());
  }

  String objectPath(KubernetesObject object) {
    return collectionPath(object) + "/" + api.escapeString(object.getMetadata().getName());
  }

  /**
   * Creates the objects the driver owns, each with the driver as its owner. The objects are not
   * changed (a retried attempt creates them again): the owner goes into the JSON sent.
   */
  void createOwned(List<KubernetesObject> owned, V1Pod driver) {
    V1OwnerReference owner = new V1OwnerReference().apiVersion("v1").kind("Pod")
        .name(driver.getMetadata().getName()).uid(driver.getMetadata().getUid()).controller(true);
    for (KubernetesObject o : owned) {
      try {
        create(o, owner);
      } catch (ConflictException alreadyThere) {
        createOverStale(o, owner, alreadyThere);
      }
    }
  }

  /** How long a replaced driver's leftover object may take to go. */
  private static final Duration STALE_GONE = Duration.ofSeconds(60);

  /**
   * {@code o} exists already. If this driver owns it, it is a retried submit: nothing to do. If a
   * previous driver of the same name owns it (a job replaced or submitted again while the garbage
   * collector had not yet deleted the old driver's objects), it is deleted and created again:
   * left alone, the collector would delete it under the new driver, which then could not start
   * (its ConfigMap volume gone). Anything else is someone else's object and is not touched.
   */
  private void createOverStale(KubernetesObject o, V1OwnerReference owner,
      ConflictException conflict) {
    String ns = o.getMetadata().getNamespace();
    String name = o.getMetadata().getName();
    String path = objectPath(o);
    ApiErrors.Target target = new ApiErrors.Target("get", o.getKind(), ns, name);
    Optional<V1ObjectMeta> existing = metaAt(target, path);
    if (existing.isEmpty()) {
      create(o, owner); // gone since the conflict
      return;
    }
    List<V1OwnerReference> owners = Optional.ofNullable(existing.get().getOwnerReferences())
        .orElse(List.of());
    if (owners.stream().anyMatch(r -> owner.getUid().equals(r.getUid()))) {
      LOG.debug("{} {} exists already (a retried submit)", o.getKind(), name);
      return;
    }
    boolean previousDriver = owners.stream().anyMatch(r -> "Pod".equals(r.getKind())
        && owner.getName().equals(r.getName()));
    if (!previousDriver) {
      throw new ConflictException("create", o.getKind(), ns, name, 409, conflict.status().orElse(null),
          o.getKind() + " " + name + " exists and does not belong to driver " + owner.getName()
              + " (owners: " + owners.stream().map(r -> r.getKind() + "/" + r.getName() + " uid "
              + r.getUid()).toList() + "); delete it or give the job another appId", conflict);
    }
    String staleUid = existing.get().getUid();
    LOG.info("{} {} was left by an earlier driver {}; replacing it", o.getKind(), name,
        owner.getName());
    try {
      call(new ApiErrors.Target("delete", o.getKind(), ns, name), () -> send("DELETE", path,
          JSON.getGson().toJsonTree(new V1DeleteOptions().preconditions(
              new io.kubernetes.client.openapi.models.V1Preconditions().uid(staleUid)))
              .getAsJsonObject()));
    } catch (NotFoundException | ConflictException goneOrReplaced) {
      LOG.debug("{} {} went meanwhile", o.getKind(), name);
    }
    long deadline = System.nanoTime() + STALE_GONE.toNanos();
    while (metaAt(target, path).filter(m -> staleUid.equals(m.getUid())).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new ConflictException("create", o.getKind(), ns, name, 409, null, o.getKind() + " "
            + name + " of an earlier driver is still being deleted after " + STALE_GONE
            + " (a finalizer holds it?)", conflict);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("Interrupted while replacing " + name, e);
      }
    }
    create(o, owner);
  }

  /** The metadata of the object at {@code path}, if it exists. */
  private Optional<V1ObjectMeta> metaAt(ApiErrors.Target target, String path) {
    try {
      JsonElement json = call(target, () -> send("GET", path, null));
      return Optional.of(JSON.deserialize(json.getAsJsonObject().get("metadata").toString(),
          V1ObjectMeta.class));
    } catch (NotFoundException gone) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends KubernetesObject> T copyOf(T o) {
    return (T) JSON.deserialize(JSON.serialize(o), o.getClass());
  }

  /**
   * Creates an object from its pruned JSON, so no empty map reaches the API server, with
   * {@code owner} (if any) as its owner; the response is read once, as kind and metadata, which is
   * all any caller uses. Retried by {@link ApiRetry}; a retry that finds the object takes it only
   * if it is this job's.
   */
  ObjectHead create(KubernetesObject object, V1OwnerReference owner) {
    JsonObject json = Manifests.pruned(object);
    SparkAuthKeys.fill(object, json);
    if (owner != null) {
      JsonArray owners = new JsonArray();
      owners.add(JSON.getGson().toJsonTree(owner));
      json.getAsJsonObject("metadata").add("ownerReferences", owners);
    }
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    String collection = collectionPath(object);
    ApiErrors.Target target = new ApiErrors.Target("create", object.getKind(), ns, name);
    return retry.create(target,
        () -> send("POST", collection, json, "application/json", ObjectHead.class),
        () -> {
          try {
            ObjectHead found = send("GET", objectPath(object), null, "application/json",
                ObjectHead.class);
            return sameObject(object, owner, found) ? Optional.of(found) : Optional.empty();
          } catch (ApiException e) {
            if (e.getCode() == 404) {
              // Deleted since the 409: not ours to take, and not safe to create again blindly.
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  JsonElement send(String method, String path, JsonObject body) throws ApiException {
    return send(method, path, body, "application/json");
  }

  private JsonElement send(String method, String path, JsonObject body, String contentType)
      throws ApiException {
    return send(method, path, body, contentType, JsonElement.class);
  }

  /**
   * One call, its response read straight into {@code type}. An {@link ObjectHead} is asked for
   * in protobuf, whose reading passes over all but the metadata unread (issue 23); JSON is read
   * where the API server answers JSON (a custom resource, a proxy).
   */
  private <T> T send(String method, String path, JsonObject body, String contentType, Class<T> type)
      throws ApiException {
    boolean head = type == ObjectHead.class;
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Accept", head ? ProtoWire.ACCEPT : "application/json");
    if (body != null) {
      headers.put("Content-Type", contentType);
    }
    okhttp3.Call call = api.buildCall(api.getBasePath(), path, method, new ArrayList<>(),
        new ArrayList<>(), body, headers, new java.util.HashMap<>(), new java.util.HashMap<>(),
        new String[] {"BearerToken"}, null);
    if (!head) {
      return api.<T>execute(call, type).getData();
    }
    try (okhttp3.Response response = call.execute()) {
      ProtoWire.refused(response);
      return type.cast(ProtoWire.protobuf(response) ? ObjectHead.read(response.body().bytes())
          : JSON.deserialize(response.body().string(), ObjectHead.class));
    } catch (java.io.IOException e) {
      throw new ApiException(e);
    }
  }

  /**
   * Whether the object on the server is the one {@code ours} describes: the same owner (the
   * driver's uid, for the objects it owns: {@code owner}, else those {@code ours} carries), else
   * the same application id.
   */
  static boolean sameObject(KubernetesObject ours, V1OwnerReference owner, KubernetesObject theirs) {
    var owners = owner != null ? List.of(owner) : ours.getMetadata().getOwnerReferences();
    if (owners != null && !owners.isEmpty()) {
      var theirOwners = theirs.getMetadata().getOwnerReferences();
      return theirOwners != null && theirOwners.stream()
          .anyMatch(r -> r.getUid() != null && r.getUid().equals(owners.get(0).getUid()));
    }
    var labels = ours.getMetadata().getLabels();
    String app = labels == null ? null : labels.get("spark-app-selector");
    var theirLabels = theirs.getMetadata().getLabels();
    return app != null && theirLabels != null && app.equals(theirLabels.get("spark-app-selector"));
  }

  static boolean sameObject(KubernetesObject ours, KubernetesObject theirs) {
    return sameObject(ours, null, theirs);
  }

  private static String plural(String kind) {
    return switch (kind) {
      case "Pod" -> "pods";
      case "Service" -> "services";
      case "ConfigMap" -> "configmaps";
      case "Secret" -> "secrets";
      case "PersistentVolumeClaim" -> "persistentvolumeclaims";
      case "PersistentVolume" -> "persistentvolumes";
      case "PodGroup" -> "podgroups";
      case "NetworkPolicy" -> "networkpolicies";
      default -> throw new IllegalArgumentException("no plural known for kind " + kind);
    };
  }
}
