package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.SchedulingV1Api;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.PreflightReport;
import io.sparkk8s.PreflightReport.Problem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, with reads only, that what a compiled job's pods reference exists and is usable: service
 * accounts, Secrets and their keys, ConfigMaps and their keys, claims (bound or bindable), image
 * pull Secrets, the priority class, an image the nodes must already have ({@code Never}), and
 * room in the namespace's ResourceQuotas for the driver pod. The references are read from the
 * pods the client would create (the driver and the executor template), so nothing the compiler
 * adds is missed; objects the job creates itself are not looked for.
 */
final class Preflight {
  private final CoreV1Api core;
  private final SchedulingV1Api scheduling;
  private final StorageV1Api storage;

  Preflight(ApiClient api) {
    this.core = new CoreV1Api(api);
    this.scheduling = new SchedulingV1Api(api);
    this.storage = new StorageV1Api(api);
  }

  /** A read that may fail; {@code null} means not found. */
  private interface Read<T> {
    T get() throws ApiException;
  }

  /** What is referenced: kind and name, and by whom. */
  private record Ref(String kind, String name) {}

  private final class Run {
    final String namespace;
    final List<Problem> problems = new ArrayList<>();
    final Set<String> unchecked = new LinkedHashSet<>();
    final Map<Ref, Set<String>> refs = new LinkedHashMap<>();
    final Map<Ref, Map<String, Set<String>>> keys = new LinkedHashMap<>();

    Run(String namespace) {
      this.namespace = namespace;
    }

    void ref(String kind, String name, String usedBy) {
      refs.computeIfAbsent(new Ref(kind, name), k -> new LinkedHashSet<>()).add(usedBy);
    }

    void key(String kind, String name, String key, String usedBy) {
      ref(kind, name, usedBy);
      keys.computeIfAbsent(new Ref(kind, name), k -> new LinkedHashMap<>())
          .computeIfAbsent(key, k -> new LinkedHashSet<>()).add(usedBy);
    }

    void problem(Ref ref, String problem) {
      problems.add(new Problem(ref.kind(), ref.name(), String.join(", ", refs.get(ref)), problem));
    }

    /** The object, or empty when it does not exist; a failed read is noted as unchecked. */
    <T> Optional<T> read(String what, Read<T> read, boolean[] missing) {
      try {
        return Optional.ofNullable(read.get());
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          missing[0] = true;
        } else if (e.getCode() == 403) {
          unchecked.add(what + ": the credentials may not read it (HTTP 403)");
        } else {
          unchecked.add(what + ": HTTP " + e.getCode() + " " + e.getMessage());
        }
        return Optional.empty();
      }
    }
  }

  PreflightReport check(CompiledJob compiled) {
    Run run = new Run(compiled.namespace());
    String ns = compiled.namespace();
    boolean[] missing = {false};
    run.read("namespace " + ns, () -> core.readNamespace(ns).execute(), missing);
    if (missing[0]) {
      run.ref("Namespace", ns, "the job");
      run.problem(new Ref("Namespace", ns), "does not exist; create it first");
      return report(compiled, run);
    }
    Set<Ref> created = new LinkedHashSet<>();
    for (KubernetesObject o : compiled.objects()) {
      created.add(new Ref(o.getKind(), o.getMetadata().getName()));
    }
    V1Pod driver = compiled.driverPod();
    collect(run, driver, "the driver");
    executorTemplate(compiled).ifPresent(e -> collect(run, e, "the executors"));
    run.refs.keySet().removeIf(created::contains);
    run.keys.keySet().removeIf(created::contains);
    for (Ref ref : List.copyOf(run.refs.keySet())) {
      checkRef(run, ref);
    }
    checkImage(run, driver);
    checkQuotas(run, driver);
    return report(compiled, run);
  }

  private static PreflightReport report(CompiledJob compiled, Run run) {
    return new PreflightReport(compiled.namespace(), compiled.driverPodName(), run.problems,
        List.copyOf(run.unchecked));
  }

  private static Optional<V1Pod> executorTemplate(CompiledJob compiled) {
    for (KubernetesObject o : compiled.ownedResources()) {
      if (o instanceof V1ConfigMap cm && cm.getData() != null
          && cm.getData().containsKey("podspec-configmap-key")) {
        return Optional.of(Yaml.loadAs(cm.getData().get("podspec-configmap-key"), V1Pod.class));
      }
    }
    return Optional.empty();
  }

  private static void collect(Run run, V1Pod pod, String who) {
    var spec = pod.getSpec();
    String account = spec.getServiceAccountName() == null ? "default" : spec.getServiceAccountName();
    run.ref("ServiceAccount", account, "service account of " + who);
    if (spec.getPriorityClassName() != null) {
      run.ref("PriorityClass", spec.getPriorityClassName(), "priority class of " + who);
    }
    if (spec.getImagePullSecrets() != null) {
      spec.getImagePullSecrets().forEach(s -> run.ref("Secret", s.getName(),
          "image pull Secret of " + who));
    }
    for (V1Volume v : spec.getVolumes() == null ? List.<V1Volume>of() : spec.getVolumes()) {
      String usedBy = "volume " + v.getName() + " of " + who;
      if (v.getSecret() != null) {
        run.ref("Secret", v.getSecret().getSecretName(), usedBy);
        if (v.getSecret().getItems() != null) {
          v.getSecret().getItems().forEach(i -> run.key("Secret", v.getSecret().getSecretName(),
              i.getKey(), usedBy));
        }
      } else if (v.getConfigMap() != null) {
        run.ref("ConfigMap", v.getConfigMap().getName(), usedBy);
      } else if (v.getPersistentVolumeClaim() != null) {
        run.ref("PersistentVolumeClaim", v.getPersistentVolumeClaim().getClaimName(), usedBy);
      }
    }
    List<V1Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
    for (V1Container c : containers) {
      for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          var ref = e.getValueFrom().getSecretKeyRef();
          run.key("Secret", ref.getName(), ref.getKey(), "env " + e.getName() + " of " + who);
        } else if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
          var ref = e.getValueFrom().getConfigMapKeyRef();
          run.key("ConfigMap", ref.getName(), ref.getKey(), "env " + e.getName() + " of " + who);
        }
      }
    }
  }

  private void checkRef(Run run, Ref ref) {
    String ns = run.namespace;
    String what = ref.kind() + " " + ref.name();
    boolean[] missing = {false};
    Set<String> present;
    switch (ref.kind()) {
      case "ServiceAccount" -> {
        run.read(what, () -> core.readNamespacedServiceAccount(ref.name(), ns).execute(), missing);
        present = null;
      }
      case "PriorityClass" -> {
        run.read(what, () -> scheduling.readPriorityClass(ref.name()).execute(), missing);
        present = null;
      }
      case "Secret" -> present = run.read(what, () -> core.readNamespacedSecret(ref.name(), ns)
          .execute(), missing).map(s -> keysOf(s)).orElse(null);
      case "ConfigMap" -> present = run.read(what, () -> core.readNamespacedConfigMap(ref.name(), ns)
          .execute(), missing).map(Preflight::keysOf).orElse(null);
      case "PersistentVolumeClaim" -> {
        run.read(what, () -> core.readNamespacedPersistentVolumeClaim(ref.name(), ns).execute(),
            missing).ifPresent(c -> checkClaim(run, ref, c));
        present = null;
      }
      default -> throw new IllegalStateException("no check for " + ref.kind());
    }
    if (missing[0]) {
      run.problem(ref, ref.kind().equals("PriorityClass")
          ? "does not exist; create it (it is cluster-wide) before submitting"
          : "does not exist in namespace " + ns + "; create it before submitting");
      return;
    }
    Map<String, Set<String>> wanted = run.keys.get(ref);
    if (present != null && wanted != null) {
      for (var key : wanted.entrySet()) {
        if (!present.contains(key.getKey())) {
          run.problems.add(new Problem(ref.kind(), ref.name(), String.join(", ", key.getValue()),
              "has no key '" + key.getKey() + "' (keys: " + String.join(", ", present) + ")"));
        }
      }
    }
  }

  private static Set<String> keysOf(V1Secret s) {
    return new TreeSet<>(s.getData() == null ? Set.of() : s.getData().keySet());
  }

  private static Set<String> keysOf(V1ConfigMap cm) {
    Set<String> keys = new TreeSet<>(cm.getData() == null ? Set.of() : cm.getData().keySet());
    if (cm.getBinaryData() != null) {
      keys.addAll(cm.getBinaryData().keySet());
    }
    return keys;
  }

  private void checkClaim(Run run, Ref ref, V1PersistentVolumeClaim claim) {
    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if ("Bound".equals(phase)) {
      return;
    }
    if ("Lost".equals(phase)) {
      run.problem(ref, "is Lost: its volume is gone; recreate the claim");
      return;
    }
    String className = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
    if (className == null || className.isEmpty()) {
      run.problem(ref, "is " + phase + " and names no storage class, so only a volume made for it"
          + " can bind it; bind it first or give it a storage class");
      return;
    }
    boolean[] missing = {false};
    run.read("StorageClass " + className, () -> storage.readStorageClass(className).execute(),
        missing).ifPresent(sc -> {
          if (!"WaitForFirstConsumer".equals(sc.getVolumeBindingMode())) {
            run.problem(ref, "is " + phase + " although its storage class " + className
                + " binds at once; the provisioner has not made a volume (see the claim's events)");
          }
        });
    if (missing[0]) {
      run.problem(ref, "is " + phase + " and its storage class " + className + " does not exist");
    }
  }

  /** An image the kubelet may not pull ({@code Never}) must be on a node already. */
  private void checkImage(Run run, V1Pod driver) {
    V1Container c = driver.getSpec().getContainers().get(0);
    if (!"Never".equals(c.getImagePullPolicy())) {
      return;
    }
    String image = c.getImage();
    boolean[] missing = {false};
    run.read("the nodes' images", () -> core.listNode().execute(), missing).ifPresent(nodes -> {
      boolean found = nodes.getItems().stream()
          .filter(n -> n.getStatus() != null && n.getStatus().getImages() != null)
          .flatMap(n -> n.getStatus().getImages().stream())
          .filter(i -> i.getNames() != null).flatMap(i -> i.getNames().stream())
          .anyMatch(name -> name.equals(image) || name.endsWith("/" + image)
              || name.equals("docker.io/library/" + image));
      if (!found) {
        run.ref("Image", image, "image of the driver and executors (imagePullPolicy Never)");
        run.problem(new Ref("Image", image), "is on no node, and Never forbids pulling it; load it"
            + " on the nodes or use imagePullPolicy IfNotPresent");
      }
    });
  }

  /** The driver pod must fit in every ResourceQuota of the namespace. */
  private void checkQuotas(Run run, V1Pod driver) {
    boolean[] missing = {false};
    Map<String, BigDecimal> asks = new LinkedHashMap<>();
    asks.put("pods", BigDecimal.ONE);
    asks.put("count/pods", BigDecimal.ONE);
    for (V1Container c : driver.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      add(asks, "requests.cpu", c.getResources().getRequests(), "cpu");
      add(asks, "cpu", c.getResources().getRequests(), "cpu");
      add(asks, "requests.memory", c.getResources().getRequests(), "memory");
      add(asks, "memory", c.getResources().getRequests(), "memory");
      add(asks, "limits.cpu", c.getResources().getLimits(), "cpu");
      add(asks, "limits.memory", c.getResources().getLimits(), "memory");
    }
    List<V1ResourceQuota> quotas = run.read("ResourceQuotas",
        () -> core.listNamespacedResourceQuota(run.namespace).execute().getItems(), missing)
        .orElse(List.of());
    for (V1ResourceQuota q : quotas) {
      if (q.getStatus() == null || q.getStatus().getHard() == null) {
        continue;
      }
      Map<String, Quantity> used = q.getStatus().getUsed() == null ? Map.of() : q.getStatus().getUsed();
      for (var hard : q.getStatus().getHard().entrySet()) {
        BigDecimal ask = asks.get(hard.getKey());
        if (ask == null) {
          continue;
        }
        BigDecimal inUse = used.containsKey(hard.getKey()) ? used.get(hard.getKey()).getNumber()
            : BigDecimal.ZERO;
        if (inUse.add(ask).compareTo(hard.getValue().getNumber()) > 0) {
          Ref ref = new Ref("ResourceQuota", q.getMetadata().getName());
          run.ref(ref.kind(), ref.name(), "the driver pod");
          run.problem(ref, hard.getKey() + ": " + format(inUse, hard.getValue()) + " of "
              + hard.getValue().toSuffixedString() + " used, and the driver asks for "
              + format(ask, hard.getValue()) + " more; free some or raise the quota");
        }
      }
    }
  }

  private static void add(Map<String, BigDecimal> asks, String key, Map<String, Quantity> from,
      String resource) {
    if (from != null && from.get(resource) != null) {
      asks.merge(key, from.get(resource).getNumber(), BigDecimal::add);
    }
  }

  private static String format(BigDecimal amount, Quantity like) {
    return new Quantity(amount, like.getFormat()).toSuffixedString();
  }
}
