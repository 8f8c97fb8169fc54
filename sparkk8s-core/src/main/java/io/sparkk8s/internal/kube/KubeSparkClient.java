package io.sparkk8s.internal.kube;

import com.google.gson.JsonObject;
import io.kubernetes.client.PodLogs;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.sparkk8s.ClusterUnreachableException;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.ConflictException;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.KubernetesApiException;
import io.sparkk8s.NotFoundException;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkK8sException;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SDK's client on client-java: submits in Spark's order, one shared watch per namespace. */
public final class KubeSparkClient implements SparkKubernetes {
  static final Logger LOG = LoggerFactory.getLogger(SparkKubernetes.class);
  /**
   * How often tokens of exec plugins and OIDC are fetched again. client-java renews on this
   * schedule only (not after a 401), so it must be shorter than any token's life; a minute costs
   * one plugin run per minute, and the plugins of GKE and PKS cache their tokens.
   */
  public static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);
  private static final String DRIVER_ROLE = "spark-driver";

  private final ApiClient api;
  private final ApiClient watchApi;
  private final CoreV1Api core;
  private final Map<String, NamespaceWatch> watches = new ConcurrentHashMap<>();
  private final Map<String, KubeJobHandle> handles = new ConcurrentHashMap<>();
  private final ExecutorService notifier;
  private final java.util.concurrent.ScheduledExecutorService timers;
  private volatile boolean closed;

  private KubeSparkClient(ApiClient api, ApiClient watchApi) {
    this.api = api;
    this.watchApi = watchApi;
    this.core = new CoreV1Api(api);
    this.notifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sparkk8s-notify");
      t.setDaemon(true);
      return t;
    });
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sparkk8s-timers");
      t.setDaemon(true);
      return t;
    });
  }

  // ---- construction -----------------------------------------------------------------------

  public static SparkKubernetes standard() {
    return build("the standard kubeconfig or in-cluster configuration", () -> {
      String env = System.getenv("KUBECONFIG");
      Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
      Path file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
          : Files.isReadable(home) ? home : null;
      if (file == null) {
        // No kubeconfig: the pod's service account (its token file is re-read as it rotates).
        return ClientBuilder.standard().build();
      }
      return kubeconfigClient(file, Optional.empty(), CREDENTIAL_REFRESH);
    });
  }

  public static SparkKubernetes inCluster() {
    return build("the pod's service account", () -> ClientBuilder.cluster().build());
  }

  public static SparkKubernetes fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh) {
    return build("kubeconfig " + path, () -> kubeconfigClient(path, context, credentialRefresh));
  }

  private static ApiClient kubeconfigClient(Path path, Optional<String> context, Duration refresh)
      throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      KubeConfig kc = KubeConfig.loadKubeConfig(r);
      kc.setFile(path.toFile());
      context.ifPresent(c -> {
        if (!kc.setContext(c)) {
          throw new IllegalArgumentException("context '" + c + "' is not in " + path);
        }
      });
      // With a refresh period, KubeconfigAuthentication runs the exec plugin (or OIDC refresh)
      // again on that schedule instead of keeping the first token for the client's life.
      return ClientBuilder.kubeconfig(kc, refresh).build();
    }
  }

  public static SparkKubernetes using(ApiClient client) {
    // The caller's client is used for watches too; its read timeout should be 0 for them.
    return new KubeSparkClient(client, client);
  }

  private interface ClientSource {
    ApiClient get() throws IOException;
  }

  private static SparkKubernetes build(String what, ClientSource source) {
    try {
      ApiClient api = source.get();
      ApiClient watch = source.get();
      watch.setHttpClient(watch.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      return new KubeSparkClient(api, watch);
    } catch (IOException | RuntimeException e) {
      throw new ClusterUnreachableException("connect", "Cluster", "", what, 0, null,
          e.getMessage(), e);
    }
  }

  // ---- submit -----------------------------------------------------------------------------

  @Override
  public SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    ensureOpen();
    CompiledJob compiled = SparkCompiler.compile(job);
    String ns = compiled.namespace();
    String name = compiled.driverPodName();
    NamespaceWatch watch = watch(ns);
    V1Pod driver;
    try {
      driver = create(compiled.driverPod(), V1Pod.class);
    } catch (ConflictException exists) {
      V1Pod existing = getPod(ns, name);
      String existingApp = NamespaceWatch.appIdOf(existing);
      if (onConflict == OnConflict.ATTACH && existingApp.equals(compiled.appId())) {
        LOG.info("Driver {}/{} exists with app id {}: attaching (a retried submit)", ns, name,
            existingApp);
        driver = existing;
      } else if (onConflict == OnConflict.REPLACE) {
        // The old job ends DriverDeleted (not Killed: nobody killed it through its handle).
        KubeJobHandle old = handleFor(ns, name, existingApp, watch);
        deleteDriver(ns, name, true);
        awaitGone(old, Duration.ofMinutes(2));
        driver = create(compiled.driverPod(), V1Pod.class);
      } else {
        throw new ConflictException("submit", "Pod", ns, name, 409, exists.status().orElse(null),
            "a driver of this name exists (app id " + existingApp + ", this job's is "
                + compiled.appId() + "); use OnConflict.REPLACE or a new appId", exists);
      }
    }
    try {
      createOwned(compiled, driver);
    } catch (KubernetesApiException e) {
      // As Spark's Client.run: without its Service and ConfigMap the driver cannot start.
      LOG.warn("Creating the objects of {}/{} failed; deleting the driver", ns, name, e);
      deleteDriver(ns, name, false);
      throw e;
    }
    KubeJobHandle handle = handleFor(ns, name, compiled.appId(), watch);
    watch.refresh(handle);
    job.startTimeout().ifPresent(timeout -> timers.schedule(() -> enforceStart(handle, timeout),
        timeout.toMillis(), TimeUnit.MILLISECONDS));
    return handle;
  }

  /**
   * Ends a job whose driver is not running after its start timeout: FAILED with reason
   * StartTimeout, what Kubernetes last said (the pending reason and the pod's latest events), and
   * its objects deleted (the driver, and by ownership everything else).
   */
  private void enforceStart(KubeJobHandle handle, Duration timeout) {
    JobState last = handle.state();
    if (last.phase() != JobPhase.SUBMITTED && last.phase() != JobPhase.PENDING) {
      return;
    }
    StringBuilder why = new StringBuilder("the driver was not running after ").append(timeout);
    if (!last.reason().isEmpty()) {
      why.append(": ").append(last.reason());
    }
    if (!last.message().isEmpty()) {
      why.append(" (").append(last.message()).append(')');
    }
    try {
      String events = lastEvents(handle.namespace(), handle.name(), 3);
      if (!events.isEmpty()) {
        why.append("; events: ").append(events);
      }
    } catch (KubernetesApiException e) {
      LOG.debug("Cannot read the events of {}", handle.name(), e);
    }
    if (handle.failIfNotStarted(JobState.ended(JobPhase.FAILED, "StartTimeout", why.toString()))) {
      LOG.warn("{}/{}: {}", handle.namespace(), handle.name(), why);
      deleteDriver(handle.namespace(), handle.name(), false);
    }
  }

  /** The latest events about a pod, oldest first, as "Reason: message" joined by " | ". */
  private String lastEvents(String ns, String pod, int count) {
    var events = call(new Errors.Target("list", "Event", ns, pod), () -> core.listNamespacedEvent(ns)
        .fieldSelector("involvedObject.name=" + pod).execute().getItems());
    return events.stream()
        .sorted(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null
            ? e.getLastTimestamp() : e.getEventTime())))
        .skip(Math.max(0, events.size() - count))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .collect(java.util.stream.Collectors.joining(" | "));
  }

  private void createOwned(CompiledJob compiled, V1Pod driver) {
    V1OwnerReference owner = new V1OwnerReference().apiVersion("v1").kind("Pod")
        .name(driver.getMetadata().getName()).uid(driver.getMetadata().getUid()).controller(true);
    for (KubernetesObject o : compiled.ownedResources()) {
      ((V1ObjectMeta) o.getMetadata()).setOwnerReferences(List.of(owner));
      try {
        create(o, o.getClass());
      } catch (ConflictException alreadyThere) {
        // A retried submit: the first attempt created it.
        LOG.debug("{} {} exists already", o.getKind(), o.getMetadata().getName());
      }
    }
  }

  /** Creates an object from its pruned JSON, so no empty map reaches the API server. */
  private <T> T create(KubernetesObject object, Class<T> type) {
    JsonObject json = Manifests.pruned(object);
    String apiVersion = object.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String plural = plural(object.getKind());
    String ns = object.getMetadata().getNamespace();
    KubernetesApiResponse<DynamicKubernetesObject> response =
        new DynamicKubernetesApi(group, version, plural, api)
            .create(ns, new DynamicKubernetesObject(json), new CreateOptions());
    Errors.Target target = new Errors.Target("create", object.getKind(), ns,
        object.getMetadata().getName());
    if (!response.isSuccess()) {
      var status = response.getStatus();
      throw Errors.of(target, response.getHttpStatusCode(), status,
          status == null ? null : status.getMessage(), null);
    }
    return JSON.deserialize(JSON.serialize(response.getObject().getRaw()), type);
  }

  private static String plural(String kind) {
    return switch (kind) {
      case "Pod" -> "pods";
      case "Service" -> "services";
      case "ConfigMap" -> "configmaps";
      case "Secret" -> "secrets";
      case "PersistentVolumeClaim" -> "persistentvolumeclaims";
      case "PersistentVolume" -> "persistentvolumes";
      default -> throw new IllegalArgumentException("no plural known for kind " + kind);
    };
  }

  // ---- find -------------------------------------------------------------------------------

  @Override
  public SparkJobHandle attach(String namespace, String driverPodName) {
    ensureOpen();
    V1Pod pod = getPod(namespace, driverPodName);
    NamespaceWatch watch = watch(namespace);
    KubeJobHandle handle = handleFor(namespace, driverPodName, NamespaceWatch.appIdOf(pod), watch);
    handle.observe(DriverStates.fromPod(pod));
    watch.refresh(handle);
    return handle;
  }

  @Override
  public List<SparkJobHandle> list(String namespace, String labelSelector) {
    ensureOpen();
    String selector = "spark-role=driver" + (labelSelector == null || labelSelector.isBlank()
        ? "" : "," + labelSelector);
    List<V1Pod> pods = call(new Errors.Target("list", "Pod", namespace, selector),
        () -> core.listNamespacedPod(namespace).labelSelector(selector).execute().getItems());
    NamespaceWatch watch = watch(namespace);
    List<SparkJobHandle> out = new ArrayList<>();
    for (V1Pod pod : pods) {
      KubeJobHandle h = handleFor(namespace, pod.getMetadata().getName(),
          NamespaceWatch.appIdOf(pod), watch);
      h.observe(DriverStates.fromPod(pod));
      out.add(h);
    }
    return out;
  }

  private KubeJobHandle handleFor(String ns, String name, String appId, NamespaceWatch watch) {
    return handles.computeIfAbsent(appId, id -> {
      KubeJobHandle h = new KubeJobHandle(this, ns, name, id, JobState.of(JobPhase.SUBMITTED, ""),
          notifier);
      // A driver whose image will not be had has ended; delete it (and by ownership the rest)
      // so the kubelet stops pulling, as after a start timeout.
      h.addListener((job, from, to) -> {
        if (to.phase() == JobPhase.FAILED && DriverStates.IMAGE_UNAVAILABLE.contains(to.reason())
            && !closed) {
          LOG.warn("{}/{}: the driver's image cannot be pulled ({}: {}); deleting the job", ns,
              name, to.reason(), to.message());
          try {
            deleteDriver(ns, name, false);
          } catch (KubernetesApiException e) {
            LOG.warn("Deleting {}/{} failed", ns, name, e);
          }
        }
      });
      return h;
    });
  }

  private NamespaceWatch watch(String namespace) {
    return watches.computeIfAbsent(namespace,
        ns -> new NamespaceWatch(watchApi, ns, handles::get, this::confirmGone));
  }

  private V1Pod getPod(String ns, String name) {
    return call(new Errors.Target("get", "Pod", ns, name),
        () -> core.readNamespacedPod(name, ns).execute());
  }

  /**
   * The watch reported the driver deleted: ask the API server (off the watch's thread) and end the
   * job only if it is really gone; otherwise take the pod's current state.
   */
  private void confirmGone(KubeJobHandle handle, V1Pod lastSeen) {
    if (closed) {
      return;
    }
    timers.execute(() -> {
      JobState observed;
      try {
        V1Pod now = getPod(handle.namespace(), handle.name());
        observed = NamespaceWatch.appIdOf(now).equals(handle.appId())
            ? DriverStates.fromPod(now) : DriverStates.deleted(false);
      } catch (NotFoundException gone) {
        // Its last seen state may already be final (it ended, then was deleted): keep that.
        JobState last = DriverStates.fromPod(lastSeen);
        observed = last.phase().isFinal() ? last : DriverStates.deleted(false);
      } catch (KubernetesApiException unreachable) {
        LOG.warn("Cannot confirm that driver {}/{} is gone; keeping its state", handle.namespace(),
            handle.name(), unreachable);
        return;
      }
      handle.observe(observed);
    });
  }

  // ---- kill, delete, logs ------------------------------------------------------------------

  void deleteDriver(String ns, String name, boolean foreground) {
    try {
      call(new Errors.Target("delete", "Pod", ns, name), () -> core.deleteNamespacedPod(name, ns)
          .body(new V1DeleteOptions().propagationPolicy(foreground ? "Foreground" : "Background"))
          .execute());
    } catch (NotFoundException gone) {
      LOG.debug("Driver {}/{} already gone", ns, name);
    }
  }

  void awaitGone(KubeJobHandle handle, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String ns = handle.namespace();
    while (true) {
      List<V1Pod> left = call(new Errors.Target("list", "Pod", ns, handle.appId()),
          () -> core.listNamespacedPod(ns).labelSelector("spark-app-selector=" + handle.appId())
              .execute().getItems());
      int services = call(new Errors.Target("list", "Service", ns, handle.appId()),
          () -> core.listNamespacedService(ns).labelSelector("spark-app-selector=" + handle.appId())
              .execute().getItems().size());
      if (left.isEmpty() && services == 0) {
        handles.remove(handle.appId());
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new SparkK8sException("Job " + ns + "/" + handle.name() + " still has " + left.size()
            + " pods and " + services + " services after " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("Interrupted while deleting " + handle.name(), e);
      }
    }
  }

  InputStream streamLog(String ns, String name) {
    return call(new Errors.Target("log", "Pod", ns, name), () -> {
      try {
        return new PodLogs(watchApi).streamNamespacedPodLog(ns, name, "spark-kubernetes-driver");
      } catch (IOException e) {
        throw new ApiException(e);
      }
    });
  }

  // ---- RBAC -------------------------------------------------------------------------------

  @Override
  public void ensureDriverServiceAccount(String namespace, String name) {
    ensureOpen();
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(api);
    V1ObjectMeta meta = new V1ObjectMeta().name(name).namespace(namespace)
        .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s");
    ignoreConflict(() -> call(new Errors.Target("create", "ServiceAccount", namespace, name),
        () -> core.createNamespacedServiceAccount(namespace, new V1ServiceAccount().metadata(meta))
            .execute()));
    String roleName = name + "-" + DRIVER_ROLE;
    V1Role role = new V1Role().metadata(new V1ObjectMeta().name(roleName).namespace(namespace)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"))
        .rules(driverRules());
    try {
      call(new Errors.Target("create", "Role", namespace, roleName),
          () -> rbac.createNamespacedRole(namespace, role).execute());
    } catch (ConflictException exists) {
      // Keep the rules exactly the least set, even if someone widened them.
      call(new Errors.Target("replace", "Role", namespace, roleName),
          () -> rbac.replaceNamespacedRole(roleName, namespace, role).execute());
    }
    V1RoleBinding binding = new V1RoleBinding()
        .metadata(new V1ObjectMeta().name(roleName).namespace(namespace)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name(roleName))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name(name).namespace(namespace)));
    ignoreConflict(() -> call(new Errors.Target("create", "RoleBinding", namespace, roleName),
        () -> rbac.createNamespacedRoleBinding(namespace, binding).execute()));
  }

  /**
   * What Spark's driver does with the API in its own namespace: creates, watches and deletes its
   * executor pods (and labels them when decommissioning, a patch), deletes its executors'
   * ConfigMaps and Services by label when it stops (deletecollection), and makes on-demand claims.
   */
  static List<V1PolicyRule> driverRules() {
    List<String> managed = List.of("create", "get", "list", "watch", "delete", "deletecollection");
    return List.of(
        new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods"))
            .verbs(List.of("create", "get", "list", "watch", "delete", "deletecollection", "patch")),
        new V1PolicyRule().apiGroups(List.of("")).resources(List.of("services", "configmaps",
            "persistentvolumeclaims")).verbs(managed));
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private interface ApiCall<T> {
    T run() throws ApiException;
  }

  private static <T> T call(Errors.Target target, ApiCall<T> call) {
    try {
      return call.run();
    } catch (ApiException e) {
      throw Errors.translate(target, e);
    }
  }

  private static void ignoreConflict(Supplier<?> action) {
    try {
      action.get();
    } catch (ConflictException exists) {
      LOG.debug("exists already: {}", exists.getMessage());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this SparkKubernetes client is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(NamespaceWatch::close);
    watches.clear();
    notifier.shutdown();
    timers.shutdownNow();
  }
}
