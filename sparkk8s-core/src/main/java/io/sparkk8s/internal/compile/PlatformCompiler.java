package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformObjects.CREDENTIAL_ANNOTATION;
import static io.sparkk8s.internal.compile.PlatformObjects.CREDENTIAL_ZEPPELIN;
import static io.sparkk8s.internal.compile.PlatformObjects.HISTORY_CONF_DIR;
import static io.sparkk8s.internal.compile.PlatformObjects.SPARK_CONF_DIR;
import static io.sparkk8s.internal.compile.PlatformObjects.TOKEN_KEY;
import static io.sparkk8s.internal.compile.PlatformObjects.containerSecurity;
import static io.sparkk8s.internal.compile.PlatformObjects.historyName;
import static io.sparkk8s.internal.compile.PlatformObjects.kind;
import static io.sparkk8s.internal.compile.PlatformObjects.labels;
import static io.sparkk8s.internal.compile.PlatformObjects.loginSecretName;
import static io.sparkk8s.internal.compile.PlatformObjects.meta;
import static io.sparkk8s.internal.compile.PlatformObjects.mountBackends;
import static io.sparkk8s.internal.compile.PlatformObjects.mountSparkAuth;
import static io.sparkk8s.internal.compile.PlatformObjects.notebookClaimName;
import static io.sparkk8s.internal.compile.PlatformObjects.notebookName;
import static io.sparkk8s.internal.compile.PlatformObjects.notebookResources;
import static io.sparkk8s.internal.compile.PlatformObjects.podSecurity;
import static io.sparkk8s.internal.compile.PlatformObjects.port;
import static io.sparkk8s.internal.compile.PlatformObjects.sparkAuthSecretName;
import static io.sparkk8s.internal.compile.PlatformObjects.tokenSecretName;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.spec.StorageExpansion;
import io.sparkk8s.spec.SubmitConf;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.PropertiesText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compiles a {@link SparkPlatform} into Kubernetes objects. Pure: the same description always
 * gives the same objects. What is applied on every deploy ({@link Output#applied()}) is separate
 * from what is only created when missing ({@link Output#createdOnce()}: the notebooks' claims,
 * which hold users' data and whose spec is immutable, and the token and login Secrets, whose value
 * is drawn when first created and must not change on an upgrade). The platform's shared defaults
 * are resolved first ({@link SparkPlatform#resolved()}).
 */
public final class PlatformCompiler {
  private PlatformCompiler() {}

  /** The objects of a platform. */
  public record Output(List<KubernetesObject> applied, List<KubernetesObject> createdOnce) {}

  /** One platform service, as status reports it. */
  public record Component(String name, PlatformStatus.Kind kind, String deployment, String service, int port) {
    /** Where clients in the cluster reach it. */
    public String url(String namespace) {
      return "http://" + service + "." + namespace + ".svc:" + port;
    }
  }

  public static Output compile(SparkPlatform description) {
    SparkPlatform platform = description.resolved();
    List<KubernetesObject> applied = new ArrayList<>();
    List<KubernetesObject> once = new ArrayList<>();
    platform.serviceAccount().ifPresent(sa -> jobAccount(platform, sa, applied));
    for (NotebookEnvironment nb : platform.notebooks()) {
      notebook(platform, nb, applied, once);
    }
    platform.historyServer().ifPresent(h -> historyServer(platform, h, applied));
    ShuffleCompiler.compile(platform, applied);
    return new Output(List.copyOf(applied), List.copyOf(once));
  }

  /** The platform's services, in deployment order. */
  public static List<Component> components(SparkPlatform platform) {
    List<Component> out = new ArrayList<>();
    for (NotebookEnvironment nb : platform.notebooks()) {
      String n = notebookName(platform, nb);
      out.add(new Component(nb.name(), kind(nb), n, n, nb.port()));
    }
    platform.historyServer().ifPresent(h -> out.add(new Component("history",
        PlatformStatus.Kind.HISTORY_SERVER, historyName(platform), historyName(platform),
        HistoryServer.PORT)));
    return out;
  }

  private static void notebook(SparkPlatform p, NotebookEnvironment nb, List<KubernetesObject> applied,
      List<KubernetesObject> once) {
    String name = notebookName(p, nb);
    String ns = p.namespace();
    Map<String, String> labels = labels(p, nb.name(), kind(nb).label(), "notebook",
        nb.effectiveSparkVersion());
    Map<String, String> selector = p.names().selector(nb.name());
    String sa = name + "-spark";
    String conf = name + "-spark-conf";
    String driverService = name + "-driver";
    List<StorageBackend> backends = backends(nb.storage(), nb.eventLog());

    driverAccount(sa, ns, labels, applied);

    applied.add(new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(meta(conf, ns, labels))
        .putDataItem("spark-defaults.conf", PropertiesText.of(notebookSparkConf(p, nb, backends),
            "spark-defaults.conf of notebook " + name + ", written by sparkk8s"))
        .putDataItem("executor-template.yaml", Yaml.dump(executorTemplate(p, nb))));

    applied.add(new V1Service().apiVersion("v1").kind("Service").metadata(meta(name, ns, labels))
        .spec(new V1ServiceSpec().type(nb.exposure().serviceType()).selector(selector)
            .addPortsItem(port("http", nb.port()))));
    applied.add(new V1Service().apiVersion("v1").kind("Service")
        .metadata(meta(driverService, ns, labels))
        .spec(new V1ServiceSpec().clusterIP("None").selector(selector)
            .addPortsItem(port("driver-rpc", NotebookEnvironment.DRIVER_PORT))
            .addPortsItem(port("blockmanager", NotebookEnvironment.BLOCK_MANAGER_PORT))
            .addPortsItem(port("spark-ui", NotebookEnvironment.UI_PORT))));
    if (p.networkPolicies()) {
      PlatformPolicies.notebook(p, nb, name, labels, selector, applied);
    }

    if (nb.authentication() && nb.kind() == NotebookEnvironment.Kind.ZEPPELIN) {
      // The password and the shiro.ini holding its hash are drawn by the deployer when it first
      // creates the Secret: never in a ConfigMap, an argument or an environment literal.
      once.add(new V1Secret().apiVersion("v1").kind("Secret")
          .metadata(meta(loginSecretName(p, nb), ns, labels)
              .putAnnotationsItem(CREDENTIAL_ANNOTATION, CREDENTIAL_ZEPPELIN)).type("Opaque"));
    } else if (nb.authentication()) {
      // The value is drawn by the deployer when it first creates the Secret.
      once.add(new V1Secret().apiVersion("v1").kind("Secret")
          .metadata(meta(tokenSecretName(p, nb), ns, labels)).type("Opaque"));
    }
    if (nb.sparkAuthentication()) {
      // The key is drawn by the deployer when it first creates the Secret.
      once.add(SparkAuthStep.unfilled(meta(sparkAuthSecretName(p, nb), ns, labels)));
    }
    if (nb.existingClaim().isEmpty()) {
      V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
          .accessModes(List.of("ReadWriteOnce"))
          .resources(new V1VolumeResourceRequirements()
              .requests(Map.of("storage", Quantity.fromString(nb.notebookVolumeSize()))));
      nb.storageClass().ifPresent(spec::storageClassName);
      once.add(new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim")
          .metadata(meta(notebookClaimName(p, nb), ns, labels)).spec(spec));
    }

    if (nb.kind() == NotebookEnvironment.Kind.ZEPPELIN) {
      applied.add(deployment(name, ns, labels, selector,
          ZeppelinPod.spec(p, nb, sa, conf, notebookSparkConf(p, nb, backends), backends)));
      return;
    }
    V1Container c = new V1Container().name("notebook").image(nb.containerImage())
        .command(notebookCommand(nb))
        .addPortsItem(new V1ContainerPort().name("http").containerPort(NotebookEnvironment.PORT))
        .addPortsItem(new V1ContainerPort().name("driver-rpc").containerPort(NotebookEnvironment.DRIVER_PORT))
        .addPortsItem(new V1ContainerPort().name("blockmanager")
            .containerPort(NotebookEnvironment.BLOCK_MANAGER_PORT))
        .addPortsItem(new V1ContainerPort().name("spark-ui").containerPort(NotebookEnvironment.UI_PORT))
        .addEnvItem(new V1EnvVar().name("POD_NAME").valueFrom(new V1EnvVarSource()
            .fieldRef(new V1ObjectFieldSelector().fieldPath("metadata.name"))))
        .addEnvItem(new V1EnvVar().name("SPARK_CONF_DIR").value(SPARK_CONF_DIR))
        // Executors are owned by the notebook pod, so they go when it goes. $(POD_NAME) is expanded
        // by the kubelet; PySpark passes these arguments to the spark-submit it starts.
        .addEnvItem(new V1EnvVar().name("PYSPARK_SUBMIT_ARGS")
            .value("--conf spark.kubernetes.driver.pod.name=$(POD_NAME) pyspark-shell"))
        .addVolumeMountsItem(new V1VolumeMount().name("notebooks").mountPath(nb.notebookDir()))
        .addVolumeMountsItem(new V1VolumeMount().name("spark-conf").mountPath(SPARK_CONF_DIR)
            .readOnly(true))
        .resources(notebookResources(nb))
        .readinessProbe(new V1Probe().httpGet(new V1HTTPGetAction().path("/api")
                .port(new IntOrString(NotebookEnvironment.PORT)))
            .initialDelaySeconds(3).periodSeconds(5))
        .securityContext(nb.restrictedSecurityContext() ? containerSecurity() : null);
    if (nb.authentication()) {
      c.addEnvItem(new V1EnvVar().name("JUPYTER_TOKEN").valueFrom(new V1EnvVarSource()
          .secretKeyRef(new V1SecretKeySelector().name(tokenSecretName(p, nb)).key(TOKEN_KEY))));
    }
    V1PodSpec pod = new V1PodSpec().serviceAccountName(sa).enableServiceLinks(false)
        .securityContext(nb.restrictedSecurityContext()
            ? podSecurity(nb.runAsUser(), nb.runAsGroup()) : null)
        .addContainersItem(c)
        .addVolumesItem(new V1Volume().name("notebooks").persistentVolumeClaim(
            new V1PersistentVolumeClaimVolumeSource().claimName(notebookClaimName(p, nb))))
        .addVolumesItem(new V1Volume().name("spark-conf")
            .configMap(new V1ConfigMapVolumeSource().name(conf)));
    mountBackends(pod, c, backends);
    mountSparkAuth(p, nb, pod, c);
    applied.add(deployment(name, ns, labels, selector, pod));
  }

  private static List<String> notebookCommand(NotebookEnvironment nb) {
    List<String> cmd = new ArrayList<>(List.of("jupyter", "lab", "--ip=0.0.0.0", "--no-browser",
        "--ServerApp.root_dir=" + nb.notebookDir()));
    if (!nb.authentication()) {
      cmd.add("--IdentityProvider.token=");
    }
    // With authentication the token comes from JUPYTER_TOKEN, never from an argument.
    return cmd;
  }

  static TreeMap<String, String> notebookSparkConf(SparkPlatform p, NotebookEnvironment nb,
      List<StorageBackend> backends) {
    TreeMap<String, String> conf = new TreeMap<>();
    conf.put("spark.master", "k8s://https://kubernetes.default.svc");
    conf.put("spark.submit.deployMode", "client");
    conf.put("spark.kubernetes.namespace", p.namespace());
    conf.put("spark.kubernetes.container.image", nb.executorContainerImage());
    conf.put("spark.driver.host", notebookName(p, nb) + "-driver." + p.namespace() + ".svc");
    conf.put("spark.driver.bindAddress", "0.0.0.0");
    conf.put("spark.driver.port", Integer.toString(NotebookEnvironment.DRIVER_PORT));
    conf.put("spark.driver.blockManager.port", Integer.toString(NotebookEnvironment.BLOCK_MANAGER_PORT));
    conf.put("spark.ui.port", Integer.toString(NotebookEnvironment.UI_PORT));
    // Unset, an executor binds its block manager to a random port, which no NetworkPolicy names.
    conf.put(StorageExpansion.EXECUTOR_BLOCK_MANAGER_PORT,
        Integer.toString(NotebookEnvironment.BLOCK_MANAGER_PORT));
    conf.put("spark.kubernetes.executor.podTemplateFile", SPARK_CONF_DIR + "/executor-template.yaml");
    SubmitConf.executor(conf, nb.executor());
    nb.dynamicAllocation().ifPresent(da -> SubmitConf.dynamicAllocation(conf, da));
    storageConf(conf, backends, nb.effectiveSparkVersion());
    nb.eventLog().ifPresent(log -> conf.putAll(log.sparkConf()));
    conf.putAll(ConfValues.merged(conf, ShuffleCompiler.notebookConf(p, nb)));
    if (nb.sparkAuthentication()) {
      // As for a job's authenticationSecret: the key from a file, never a literal.
      conf.putAll(StorageExpansion.AUTH_CONF);
    }
    conf.putAll(nb.sparkConf());
    return conf;
  }

  /**
   * The executors' pod template: the labels the platform's NetworkPolicies select them by, the
   * {@code restricted} settings (as the Spark image's uid), no service-link variables and, unless
   * the notebook's executor asks for one, no API token; Spark adds everything else.
   */
  static V1Pod executorTemplate(SparkPlatform p, NotebookEnvironment nb) {
    V1PodSpec spec = new V1PodSpec().enableServiceLinks(false)
        .securityContext(podSecurity(SparkJob.SPARK_UID, SparkJob.SPARK_UID))
        .addContainersItem(new V1Container().name("spark-kubernetes-executor")
            .securityContext(containerSecurity()));
    // A notebook sets no executor account: Spark's executors would run as the default one anyway.
    ExecutorAccount.apply(spec, Optional.empty(), nb.executor());
    mountSparkAuth(p, nb, spec, spec.getContainers().get(0));
    return new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta()
            .labels(p.names().selector(PlatformPolicies.executorComponent(nb))))
        .spec(spec);
  }

  // ---- History Server -------------------------------------------------------------------------

  private static void historyServer(SparkPlatform p, HistoryServer h, List<KubernetesObject> applied) {
    String name = historyName(p);
    String ns = p.namespace();
    Map<String, String> labels = labels(p, "history", PlatformStatus.Kind.HISTORY_SERVER.label(), "history-server",
        h.effectiveSparkVersion());
    Map<String, String> selector = p.names().selector("history");
    // Present: the platform's check requires an event log on the History Server or the platform.
    EventLog eventLog = h.eventLog().orElseThrow();
    List<StorageBackend> backends = backends(List.of(), Optional.of(eventLog));

    TreeMap<String, String> conf = new TreeMap<>(eventLog.historyServerConf(h.effectiveSparkVersion()));
    // The History Server resolves no packages; its image must hold the connectors.
    conf.remove("spark.jars.packages");
    conf.remove("spark.jars.ivy");
    conf.put("spark.history.ui.port", Integer.toString(HistoryServer.PORT));
    h.cleanerMaxAge().ifPresent(age -> {
      conf.put("spark.history.fs.cleaner.enabled", "true");
      conf.put("spark.history.fs.cleaner.maxAge", age.toMinutes() + "min");
    });
    conf.putAll(h.sparkConf());
    String confName = name + "-conf";
    applied.add(new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(meta(confName, ns, labels))
        .putDataItem("spark-defaults.conf", PropertiesText.of(conf,
            "spark-defaults.conf of History Server " + name + ", written by sparkk8s")));
    applied.add(new V1Service().apiVersion("v1").kind("Service").metadata(meta(name, ns, labels))
        .spec(new V1ServiceSpec().type(h.exposure().serviceType()).selector(selector)
            .addPortsItem(port("http", HistoryServer.PORT))));

    long heapMib = Checks.sparkMemoryMib(h.memory());
    Quantity memory = Quantity.fromString((heapMib + Math.max(384, heapMib / 2)) + "Mi");
    V1Container c = new V1Container().name("history-server").image(h.containerImage())
        .args(List.of("/opt/spark/bin/spark-class", "org.apache.spark.deploy.history.HistoryServer"))
        .addPortsItem(new V1ContainerPort().name("http").containerPort(HistoryServer.PORT))
        .addEnvItem(new V1EnvVar().name("SPARK_CONF_DIR").value(HISTORY_CONF_DIR))
        .addEnvItem(new V1EnvVar().name("SPARK_DAEMON_MEMORY").value(h.memory()))
        .addEnvItem(new V1EnvVar().name("SPARK_NO_DAEMONIZE").value("true"))
        .addVolumeMountsItem(new V1VolumeMount().name("history-conf").mountPath(HISTORY_CONF_DIR)
            .readOnly(true))
        .resources(new V1ResourceRequirements()
            .requests(Map.of("cpu", Quantity.fromString(h.cpuRequest()), "memory", memory))
            .limits(Map.of("memory", memory)))
        .readinessProbe(new V1Probe().httpGet(new V1HTTPGetAction().path("/api/v1/applications")
                .port(new IntOrString(HistoryServer.PORT)))
            .initialDelaySeconds(5).periodSeconds(5))
        .securityContext(containerSecurity());
    V1PodSpec pod = new V1PodSpec().enableServiceLinks(false).automountServiceAccountToken(false)
        .securityContext(podSecurity(h.runAsUser(), h.runAsUser()))
        .addContainersItem(c)
        .addVolumesItem(new V1Volume().name("history-conf")
            .configMap(new V1ConfigMapVolumeSource().name(confName)));
    mountBackends(pod, c, backends);
    String logUri = eventLog.uri();
    if (logUri.startsWith("file://")) {
      // Spark's History Server stops when its directory is missing; on a new shared volume it is.
      V1Container mkdir = new V1Container().name("create-log-directory").image(h.containerImage())
          .command(List.of("mkdir", "-p", logUri.substring("file://".length())))
          .volumeMounts(c.getVolumeMounts())
          .securityContext(containerSecurity());
      pod.addInitContainersItem(mkdir);
    }
    applied.add(deployment(name, ns, labels, selector, pod));
    if (p.networkPolicies()) {
      PlatformPolicies.historyServer(p, h, name, labels, selector, applied);
    }
  }

  // ---- shared ---------------------------------------------------------------------------------

  /** The platform's driver account for jobs submitted into its namespace. */
  private static void jobAccount(SparkPlatform p, String sa, List<KubernetesObject> applied) {
    Map<String, String> labels = labels(p, "jobs", "spark-driver-account", "driver-account",
        p.sparkVersion().orElse(SparkJob.DEFAULT_SPARK_VERSION));
    driverAccount(sa, p.namespace(), labels, applied);
  }

  /** A ServiceAccount, the Role a Spark driver needs ({@link DriverRules}) and their binding. */
  private static void driverAccount(String sa, String ns, Map<String, String> labels,
      List<KubernetesObject> applied) {
    applied.add(new V1ServiceAccount().apiVersion("v1").kind("ServiceAccount")
        .metadata(meta(sa, ns, labels)));
    applied.add(new V1Role().apiVersion("rbac.authorization.k8s.io/v1").kind("Role")
        .metadata(meta(sa, ns, labels)).rules(DriverRules.rules()));
    applied.add(new V1RoleBinding().apiVersion("rbac.authorization.k8s.io/v1").kind("RoleBinding")
        .metadata(meta(sa, ns, labels))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name(sa))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name(sa).namespace(ns))));
  }

  static List<StorageBackend> backends(List<StorageBackend> storage, Optional<EventLog> log) {
    LinkedHashSet<StorageBackend> all = new LinkedHashSet<>(storage);
    log.map(EventLog::backend).ifPresent(all::add);
    return List.copyOf(all);
  }

  /** The backends' Hadoop conf and packages, and their mounts as executor conf. */
  private static void storageConf(Map<String, String> conf, List<StorageBackend> backends,
      String sparkVersion) {
    LinkedHashSet<String> packages = new LinkedHashSet<>();
    LinkedHashSet<String> jars = new LinkedHashSet<>();
    for (StorageBackend b : backends) {
      b.sparkConf(sparkVersion).forEach((k, v) -> {
        if (k.equals("spark.jars.packages")) {
          packages.addAll(List.of(v.split(",")));
        } else {
          conf.put(k, v);
        }
      });
      jars.addAll(b.connectorJars(sparkVersion));
      for (Volume v : b.volumes()) {
        SubmitConf.volume(conf, "spark.kubernetes.executor.volumes.", v);
      }
      for (SecretVolume s : b.secretVolumes()) {
        conf.put("spark.kubernetes.executor.secrets." + s.secretName(), s.mountPath());
      }
      for (SecretEnv e : b.secretEnv()) {
        conf.put("spark.kubernetes.executor.secretKeyRef." + e.envName(),
            e.secretName() + ":" + e.key());
      }
    }
    if (!packages.isEmpty()) {
      conf.put("spark.jars.packages", String.join(",", packages));
    }
    if (!jars.isEmpty()) {
      conf.put("spark.jars", String.join(",", jars));
    }
  }

  private static V1Deployment deployment(String name, String ns, Map<String, String> labels,
      Map<String, String> selector, V1PodSpec pod) {
    return new V1Deployment().apiVersion("apps/v1").kind("Deployment").metadata(meta(name, ns, labels))
        .spec(new V1DeploymentSpec().replicas(1)
            // One pod at a time: never two notebook servers on one volume.
            .strategy(new V1DeploymentStrategy().type("Recreate"))
            .selector(new V1LabelSelector().matchLabels(selector))
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(new TreeMap<>(labels)))
                .spec(pod)));
  }

}
