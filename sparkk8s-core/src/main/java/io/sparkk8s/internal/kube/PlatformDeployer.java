package io.sparkk8s.internal.kube;

import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import io.sparkk8s.DeployOptions;
import io.sparkk8s.DeployResult;
import io.sparkk8s.NotebookCredentials;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.internal.compile.PlatformObjects;
import io.sparkk8s.internal.compile.ShuffleCompiler;
import io.sparkk8s.internal.compile.SparkAuthStep;
import io.sparkk8s.internal.compile.ZeppelinPod;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.PlatformNames;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.spec.StorageExpansion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys, reports on and tears down a {@link SparkPlatform}: server-side apply with field manager
 * {@code sparkk8s} for what is described, create-once for claims and token Secrets, pruning of
 * what the description dropped, and label-selected deletion for teardown. A dry run sends the
 * same requests with {@code dryRun=All}, plus a dry-run create of each Deployment's pod.
 */
final class PlatformDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformDeployer.class);
  static final String FIELD_MANAGER = "sparkk8s";
  /** Kinds a release is made of, in deletion order (workloads first, claims never unless asked). */
  private static final List<String> PRUNED_KINDS = List.of("Deployment", "StatefulSet",
      "DaemonSet", "Service", "NetworkPolicy", "ConfigMap", "Secret", "RoleBinding", "Role",
      "ServiceAccount");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiClient api;

  PlatformDeployer(ApiClient api) {
    this.api = api;
  }

  DeployResult deploy(SparkPlatform p, DeployOptions options) {
    boolean dry = options.isDryRun();
    PlatformCompiler.Output out = PlatformCompiler.compile(p);
    preflight(p, out.applied());
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Set<String> desired = new HashSet<>();
    for (KubernetesObject o : out.createdOnce()) {
      desired.add(key(o));
      if (get(o.getKind(), p.namespace(), o.getMetadata().getName()).isPresent()) {
        unchanged.add(key(o)); // kept as it is: users' notebooks, or the token already handed out
        continue;
      }
      if (o instanceof V1Secret secret) {
        drawCredential(secret);
      }
      create(o, dry);
      created.add(key(o));
    }
    for (KubernetesObject o : out.applied()) {
      desired.add(key(o));
      Optional<DynamicKubernetesObject> before = get(o.getKind(), p.namespace(),
          o.getMetadata().getName());
      DynamicKubernetesObject after = apply(o, dry);
      if (before.isEmpty()) {
        created.add(key(o));
      } else if (!AppliedFields.changed(before.get().getRaw(), after.getRaw(), FIELD_MANAGER)) {
        // Judged by what this apply owns, not by the version: a controller writing status
        // between the read and the apply moves the version without any change of ours.
        unchanged.add(key(o));
      } else {
        updated.add(key(o));
      }
      if (dry && o instanceof V1Deployment d) {
        dryRunPod(d);
      }
    }
    List<String> deleted = new ArrayList<>();
    for (String kind : PRUNED_KINDS) {
      for (DynamicKubernetesObject o : list(kind, p.namespace(), PlatformObjects.releaseSelector(p))) {
        String k = kind + "/" + o.getMetadata().getName();
        if (!desired.contains(k)) {
          delete(kind, p.namespace(), o.getMetadata().getName(), dry);
          deleted.add(k);
        }
      }
    }
    DeployResult result = new DeployResult(created, updated, unchanged, deleted, dry);
    LOG.info("{} platform {}/{}: {} created, {} updated, {} unchanged, {} deleted",
        dry ? "dry-ran the deploy of" : "deployed", p.namespace(), p.name(), created.size(),
        updated.size(), unchanged.size(), deleted.size());
    return result;
  }

  /**
   * Draws a notebook's credential into its new Secret: a Jupyter token, a Zeppelin login or the
   * key of Spark's own authentication.
   */
  private static void drawCredential(V1Secret secret) {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String value = HexFormat.of().formatHex(random);
    Optional<String> kind = Optional.ofNullable(secret.getMetadata().getAnnotations())
        .map(a -> a.get(PlatformObjects.CREDENTIAL_ANNOTATION));
    if (kind.filter(SparkAuthStep.CREDENTIAL::equals).isPresent()) {
      secret.putDataItem(StorageExpansion.AUTH_KEY, SparkAuthKeys.draw());
    } else if (kind.filter(PlatformObjects.CREDENTIAL_ZEPPELIN::equals).isPresent()) {
      secret.putDataItem(PlatformObjects.PASSWORD_KEY, value.getBytes(StandardCharsets.UTF_8));
      secret.putDataItem(PlatformObjects.SHIRO_KEY,
          ZeppelinPod.shiroIni(value).getBytes(StandardCharsets.UTF_8));
    } else {
      secret.putDataItem(PlatformObjects.TOKEN_KEY, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A dry-run create of the pod a Deployment's ReplicaSet would make, so that Pod Security
   * admission (which only warns about a Deployment's template) and the other pod admission checks
   * judge it. The pod's own ServiceAccount may not exist yet (a dry run creates none, and the API
   * server refuses a pod whose account is missing): then the namespace's {@code default} stands
   * in, which changes nothing Pod Security looks at.
   */
  private void dryRunPod(V1Deployment d) {
    var template = d.getSpec().getTemplate();
    var spec = template.getSpec();
    String ns = d.getMetadata().getNamespace();
    if (spec.getServiceAccountName() != null
        && get("ServiceAccount", ns, spec.getServiceAccountName()).isEmpty()) {
      io.kubernetes.client.openapi.models.V1PodSpec copy = JSON.deserialize(JSON.serialize(spec),
          io.kubernetes.client.openapi.models.V1PodSpec.class);
      spec = copy.serviceAccountName("default");
    }
    V1Pod pod = new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name(d.getMetadata().getName() + "-dry-run").namespace(ns)
            .labels(template.getMetadata().getLabels()))
        .spec(spec);
    create(pod, true);
  }

  PlatformStatus status(SparkPlatform p) {
    List<PlatformStatus.Component> components = new ArrayList<>();
    for (PlatformCompiler.Component c : PlatformCompiler.components(p)) {
      String url = c.url(p.namespace());
      Optional<V1Deployment> deployment = get("Deployment", p.namespace(), c.deployment())
          .map(d -> convert(d, V1Deployment.class));
      boolean ready = deployment.map(d -> d.getStatus() != null
          && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() >= 1
          && d.getStatus().getUpdatedReplicas() != null && d.getStatus().getUpdatedReplicas() >= 1
          && Optional.ofNullable(d.getStatus().getUnavailableReplicas()).orElse(0) == 0)
          .orElse(false);
      String detail = deployment.isEmpty() ? "not deployed"
          : ready ? "ready" : whyNotReady(p.namespace(), c.name(), p);
      Optional<String> external = get("Service", p.namespace(), c.service())
          .map(s -> convert(s, V1Service.class)).flatMap(PlatformDeployer::externalUrl);
      components.add(new PlatformStatus.Component(c.name(), c.kind(), ready,
          detail, url, external));
    }
    for (ShuffleCompiler.Component c : ShuffleCompiler.components(p)) {
      String url = c.url(p.namespace());
      Optional<DynamicKubernetesObject> workload = get(c.workloadKind(), p.namespace(), c.workload());
      boolean ready = workload.map(w -> workloadReady(c.workloadKind(), w)).orElse(false);
      String detail = workload.isEmpty() ? "not deployed"
          : ready ? "ready" : workloadDetail(c, workload.get(), p);
      components.add(new PlatformStatus.Component(c.name(), c.kind(), ready,
          detail, url,
          Optional.empty()));
    }
    return new PlatformStatus(p.name(), p.namespace(), components);
  }

  /** Every replica (every scheduled node, for a DaemonSet) ready and updated. */
  private static boolean workloadReady(String kind, DynamicKubernetesObject o) {
    if (kind.equals("StatefulSet")) {
      V1StatefulSet s = convert(o, V1StatefulSet.class);
      int want = Optional.ofNullable(s.getSpec().getReplicas()).orElse(1);
      return s.getStatus() != null
          && Optional.ofNullable(s.getStatus().getReadyReplicas()).orElse(0) >= want
          && Optional.ofNullable(s.getStatus().getUpdatedReplicas()).orElse(0) >= want;
    }
    V1DaemonSet d = convert(o, V1DaemonSet.class);
    if (d.getStatus() == null) {
      return false;
    }
    int want = d.getStatus().getDesiredNumberScheduled();
    return want > 0 && d.getStatus().getNumberReady() >= want
        && Optional.ofNullable(d.getStatus().getUpdatedNumberScheduled()).orElse(0) >= want
        && Optional.ofNullable(d.getStatus().getNumberUnavailable()).orElse(0) == 0;
  }

  private String workloadDetail(ShuffleCompiler.Component c, DynamicKubernetesObject o, SparkPlatform p) {
    String why = whyNotReady(p.namespace(), c.name(), p);
    if (!why.equals("no pod yet")) {
      return why;
    }
    // Pods refused at admission (Pod Security, quota) exist only as the controller's events.
    ListOptions options = new ListOptions();
    options.setFieldSelector("involvedObject.kind=" + c.workloadKind() + ",involvedObject.name="
        + c.workload() + ",reason=FailedCreate");
    var r = dynamic("Event").list(p.namespace(), options);
    if (r.isSuccess() && !r.getObject().getItems().isEmpty()) {
      var items = r.getObject().getItems();
      var last = items.get(items.size() - 1).getRaw();
      if (last.has("message")) {
        return "FailedCreate: " + last.get("message").getAsString();
      }
    }
    if (c.workloadKind().equals("DaemonSet")) {
      V1DaemonSet d = convert(o, V1DaemonSet.class);
      if (d.getStatus() != null && d.getStatus().getDesiredNumberScheduled() == 0) {
        return "no node to run on (desiredNumberScheduled is 0)";
      }
    }
    return why;
  }

  /**
   * A server-side dry run of one pod of each shuffle-service workload, before anything is
   * applied: Pod Security is enforced on pods, not on the workloads that create them, so without
   * it a DaemonSet refused by the namespace's level is accepted and then silently never runs a
   * pod. (Other workloads run under ServiceAccounts this deploy creates, which a dry-run pod cannot
   * reference yet.)
   */
  private void preflight(SparkPlatform p, List<KubernetesObject> applied) {
    for (KubernetesObject o : applied) {
      String name = o.getMetadata().getName() + "-preflight";
      V1Pod pod = preflightPod(o, p.namespace(), name);
      if (pod == null) {
        continue;
      }
      CreateOptions options = new CreateOptions();
      options.setDryRun("All");
      var r = dynamic("Pod").create(p.namespace(), new DynamicKubernetesObject(Manifests.pruned(pod)),
          options);
      if (!r.isSuccess()) {
        V1Status s = r.getStatus();
        String why = s == null ? "HTTP " + r.getHttpStatusCode() : s.getMessage();
        String hint = o instanceof V1DaemonSet
            ? ": its hostPath volume (and the root init container preparing it) need the namespace labelled"
                + " pod-security.kubernetes.io/enforce=privileged"
            : "";
        throw ApiErrors.of(new ApiErrors.Target("create (dry run)", "Pod", p.namespace(), name),
            r.getHttpStatusCode(), s, "the pods of " + o.getKind() + " "
                + o.getMetadata().getName() + " would be refused" + hint + ". " + why, null);
      }
    }
  }

  /**
   * The pod a DaemonSet or StatefulSet would create (a StatefulSet's claim volumes added as its
   * controller adds them), for a dry run; null for other kinds.
   */
  static V1Pod preflightPod(KubernetesObject o, String namespace, String name) {
    V1PodTemplateSpec template;
    List<io.kubernetes.client.openapi.models.V1Volume> claims = new ArrayList<>();
    if (o instanceof V1DaemonSet ds) {
      template = ds.getSpec().getTemplate();
    } else if (o instanceof V1StatefulSet sts) {
      template = sts.getSpec().getTemplate();
      Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of()).forEach(c ->
          claims.add(new io.kubernetes.client.openapi.models.V1Volume().name(c.getMetadata().getName())
              .persistentVolumeClaim(new io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource()
                  .claimName(c.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-0"))));
    } else {
      return null;
    }
    // A copy: the compiled object must not change.
    V1Pod pod = JSON.deserialize(JSON.serialize(new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name(name).namespace(namespace)
            .labels(template.getMetadata().getLabels()))
        .spec(template.getSpec())), V1Pod.class);
    claims.forEach(pod.getSpec()::addVolumesItem);
    return pod;
  }

  PlatformStatus awaitReady(SparkPlatform p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    PlatformStatus status = status(p);
    while (!status.ready()) {
      if (System.nanoTime() > deadline) {
        throw new SparkK8sException("platform " + p.namespace() + "/" + p.name()
            + " not ready after " + timeout + ": " + status);
      }
      try {
        TimeUnit.SECONDS.sleep(1); // a handful of objects: a short poll beats a watch per platform
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("interrupted while waiting for platform " + p.name(), e);
      }
      status = status(p);
    }
    return status;
  }

  void teardown(SparkPlatform p, boolean deleteClaims) {
    List<String> kinds = new ArrayList<>(PRUNED_KINDS);
    if (deleteClaims) {
      kinds.add("PersistentVolumeClaim");
    }
    int n = 0;
    for (String kind : kinds) {
      for (DynamicKubernetesObject o : list(kind, p.namespace(), PlatformObjects.releaseSelector(p))) {
        delete(kind, p.namespace(), o.getMetadata().getName());
        n++;
      }
    }
    LOG.info("tore down platform {}/{}: {} objects deleted, claims {}", p.namespace(), p.name(), n,
        deleteClaims ? "deleted" : "kept");
  }

  String notebookToken(SparkPlatform p, String notebook) {
    return notebookCredentials(p, notebook).secret();
  }

  NotebookCredentials notebookCredentials(SparkPlatform p, String notebook) {
    NotebookEnvironment nb = p.notebooks().stream().filter(n -> n.name().equals(notebook))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("platform " + p.name()
            + " has no notebook '" + notebook + "'"));
    boolean zeppelin = nb.kind() == NotebookEnvironment.Kind.ZEPPELIN;
    String name = PlatformObjects.credentialSecretName(p, nb);
    String key = zeppelin ? PlatformObjects.PASSWORD_KEY : PlatformObjects.TOKEN_KEY;
    V1Secret secret = get("Secret", p.namespace(), name).map(s -> convert(s, V1Secret.class))
        .orElseThrow(() -> (NotFoundException) ApiErrors.of(
            new ApiErrors.Target("get", "Secret", p.namespace(), name), 404, null,
            "notebook '" + notebook + "' has no credential Secret: is the platform deployed, with"
                + " authentication on?", null));
    byte[] value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      throw new SparkK8sException("Secret " + name + " holds no '" + key + "' key");
    }
    return new NotebookCredentials(nb.kind(),
        zeppelin ? Optional.of(NotebookEnvironment.ZEPPELIN_USER) : Optional.empty(),
        new String(value, StandardCharsets.UTF_8));
  }

  // ---- why a component is not ready -----------------------------------------------------------

  private String whyNotReady(String ns, String component, SparkPlatform p) {
    List<DynamicKubernetesObject> pods = list("Pod", ns, "app.kubernetes.io/instance=" + p.name()
        + "," + PlatformNames.COMPONENT_LABEL + "=" + component);
    if (pods.isEmpty()) {
      return "no pod yet";
    }
    V1Pod pod = convert(pods.get(pods.size() - 1), V1Pod.class);
    if (pod.getStatus() == null) {
      return "pod " + pod.getMetadata().getName() + " has no status yet";
    }
    List<V1ContainerStatus> statuses = new ArrayList<>();
    Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).ifPresent(statuses::addAll);
    Optional.ofNullable(pod.getStatus().getContainerStatuses()).ifPresent(statuses::addAll);
    for (V1ContainerStatus s : statuses) {
      if (s.getState() != null && s.getState().getWaiting() != null) {
        var w = s.getState().getWaiting();
        return s.getName() + ": " + w.getReason() + (w.getMessage() == null ? "" : " (" + w.getMessage() + ")");
      }
      if (s.getState() != null && s.getState().getTerminated() != null
          && s.getState().getTerminated().getExitCode() != 0) {
        var t = s.getState().getTerminated();
        return s.getName() + ": " + t.getReason() + " (exit " + t.getExitCode() + ")";
      }
    }
    for (V1PodCondition cond : Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of())) {
      if ("False".equals(cond.getStatus()) && cond.getMessage() != null) {
        return cond.getType() + ": " + cond.getReason() + " (" + cond.getMessage() + ")";
      }
    }
    return "pod " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase() + ", not ready yet";
  }

  private static Optional<String> externalUrl(V1Service s) {
    if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
      return Optional.empty();
    }
    var port = s.getSpec().getPorts().get(0);
    if ("NodePort".equals(s.getSpec().getType()) && port.getNodePort() != null) {
      return Optional.of("http://<any node address>:" + port.getNodePort());
    }
    if ("LoadBalancer".equals(s.getSpec().getType()) && s.getStatus() != null
        && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null
        && !s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
      var in = s.getStatus().getLoadBalancer().getIngress().get(0);
      return Optional.of("http://" + (in.getIp() != null ? in.getIp() : in.getHostname()) + ":" + port.getPort());
    }
    return Optional.empty();
  }

  // ---- API plumbing ---------------------------------------------------------------------------

  private record Resource(String group, String version, String plural) {}

  private static Resource resource(String kind) {
    return switch (kind) {
      case "Deployment" -> new Resource("apps", "v1", "deployments");
      case "StatefulSet" -> new Resource("apps", "v1", "statefulsets");
      case "DaemonSet" -> new Resource("apps", "v1", "daemonsets");
      case "Event" -> new Resource("", "v1", "events");
      case "Service" -> new Resource("", "v1", "services");
      case "ConfigMap" -> new Resource("", "v1", "configmaps");
      case "Secret" -> new Resource("", "v1", "secrets");
      case "ServiceAccount" -> new Resource("", "v1", "serviceaccounts");
      case "PersistentVolumeClaim" -> new Resource("", "v1", "persistentvolumeclaims");
      case "Pod" -> new Resource("", "v1", "pods");
      case "Role" -> new Resource("rbac.authorization.k8s.io", "v1", "roles");
      case "RoleBinding" -> new Resource("rbac.authorization.k8s.io", "v1", "rolebindings");
      case "NetworkPolicy" -> new Resource("networking.k8s.io", "v1", "networkpolicies");
      default -> throw new IllegalArgumentException("no resource known for kind " + kind);
    };
  }

  private DynamicKubernetesApi dynamic(String kind) {
    Resource r = resource(kind);
    return new DynamicKubernetesApi(r.group(), r.version(), r.plural(), api);
  }

  private Optional<DynamicKubernetesObject> get(String kind, String ns, String name) {
    KubernetesApiResponse<DynamicKubernetesObject> r = dynamic(kind).get(ns, name);
    if (r.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    check(r, "get", kind, ns, name);
    return Optional.of(r.getObject());
  }

  private List<DynamicKubernetesObject> list(String kind, String ns, String selector) {
    ListOptions options = new ListOptions();
    options.setLabelSelector(selector);
    var r = dynamic(kind).list(ns, options);
    if (!r.isSuccess()) {
      V1Status s = r.getStatus();
      throw ApiErrors.of(new ApiErrors.Target("list", kind, ns, selector), r.getHttpStatusCode(), s,
          s == null ? null : s.getMessage(), null);
    }
    return r.getObject().getItems();
  }

  private void create(KubernetesObject o, boolean dry) {
    JsonObject json = Manifests.pruned(o);
    CreateOptions options = new CreateOptions();
    if (dry) {
      options.setDryRun("All");
    }
    var r = dynamic(o.getKind()).create(o.getMetadata().getNamespace(),
        new DynamicKubernetesObject(json), options);
    if (r.getHttpStatusCode() == 409) {
      return; // created meanwhile by another deploy: keep theirs
    }
    check(r, dry ? "dry-run create" : "create", o.getKind(), o.getMetadata().getNamespace(),
        o.getMetadata().getName());
  }

  /** Server-side apply; returns the object as stored afterwards (as it would be, in a dry run). */
  private DynamicKubernetesObject apply(KubernetesObject o, boolean dry) {
    PatchOptions options = new PatchOptions();
    options.setFieldManager(FIELD_MANAGER);
    options.setForce(true);
    if (dry) {
      options.setDryRun("All");
    }
    var r = dynamic(o.getKind()).patch(o.getMetadata().getNamespace(), o.getMetadata().getName(),
        V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(Manifests.pruned(o).toString()), options);
    check(r, dry ? "dry-run apply" : "apply", o.getKind(), o.getMetadata().getNamespace(),
        o.getMetadata().getName());
    return r.getObject();
  }

  private void delete(String kind, String ns, String name) {
    delete(kind, ns, name, false);
  }

  private void delete(String kind, String ns, String name, boolean dry) {
    DeleteOptions options = new DeleteOptions();
    options.setPropagationPolicy("Background");
    if (dry) {
      options.setDryRun(List.of("All"));
    }
    var r = dynamic(kind).delete(ns, name, options);
    if (r.getHttpStatusCode() == 404) {
      return;
    }
    check(r, dry ? "dry-run delete" : "delete", kind, ns, name);
  }

  private static void check(KubernetesApiResponse<?> r, String op, String kind, String ns, String name) {
    if (!r.isSuccess()) {
      V1Status s = r.getStatus();
      throw ApiErrors.of(new ApiErrors.Target(op, kind, ns, name), r.getHttpStatusCode(), s,
          s == null ? null : s.getMessage(), null);
    }
  }

  private static <T> T convert(DynamicKubernetesObject o, Class<T> type) {
    return JSON.deserialize(JSON.serialize(o.getRaw()), type);
  }

  private static String key(KubernetesObject o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }
}
