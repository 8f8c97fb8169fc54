package io.sparkk8s.internal.compile;

import static io.sparkk8s.spec.PlatformNames.CELEBORN_MASTER;
import static io.sparkk8s.spec.PlatformNames.CELEBORN_WORKER;
import static io.sparkk8s.spec.PlatformNames.SHUFFLE_SERVICE;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetSpec;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.ShuffleService;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.validate.Checks;
import io.sparkk8s.validate.PropertiesText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compiles a platform's {@link ShuffleService} into Kubernetes objects, named by {@link
 * io.sparkk8s.spec.PlatformNames}. Pure, like {@link PlatformCompiler}, which calls it: shuffle
 * tracking is conf only; Celeborn becomes two StatefulSets with their headless Services and a
 * ConfigMap; the hostPath service a DaemonSet.
 *
 * <p>What Celeborn's own Helm chart does was read for the shape (apache/celeborn {@code
 * charts/celeborn}: masters addressed through a headless Service's per-pod names, every master's
 * host in {@code celeborn-defaults.conf}, {@code CELEBORN_NO_DAEMONIZE}, uid 10006); the objects
 * here are written for the SDK's rules: restricted security, claims instead of hostPath, fixed
 * worker ports, Parallel pod management so that a Raft majority can form before any master is
 * ready.
 */
public final class ShuffleCompiler {
  /** Where the Celeborn ConfigMap is mounted ({@code CELEBORN_CONF_DIR}). */
  static final String CELEBORN_CONF_DIR = "/etc/sparkk8s/celeborn";
  static final String CELEBORN_DATA = "/mnt/celeborn";

  private ShuffleCompiler() {}

  /**
   * One workload of the shuffle service, as status reports it.
   *
   * @param name the component's name in the platform ({@code celeborn-master}, ...)
   * @param kind what runs ({@code celeborn-master}, {@code celeborn-worker}, {@code
   *     spark-shuffle-service})
   * @param workloadKind {@code StatefulSet} or {@code DaemonSet}
   * @param workload the workload's name
   * @param service the Service in front of it, or null
   * @param port the port clients use
   */
  public record Component(String name, PlatformStatus.Kind kind, String workloadKind, String workload,
      String service, int port) {
    /** Where clients in the cluster reach it (a node-local service: on their own node's pod). */
    public String url(String namespace) {
      return service == null ? "tcp://<node's pod>:" + port
          : "tcp://" + service + "." + namespace + ".svc:" + port;
    }
  }

  /** The shuffle service's workloads, in deployment order. */
  public static List<Component> components(SparkPlatform p) {
    List<Component> out = new ArrayList<>();
    p.shuffleService().ifPresent(s -> {
      switch (s.kind()) {
        case CELEBORN -> {
          String master = p.names().celebornMasterName();
          String worker = p.names().celebornWorkerName();
          out.add(new Component(CELEBORN_MASTER, PlatformStatus.Kind.CELEBORN_MASTER, "StatefulSet", master, master,
              CelebornShuffle.MASTER_PORT));
          out.add(new Component(CELEBORN_WORKER, PlatformStatus.Kind.CELEBORN_WORKER, "StatefulSet", worker, worker,
              CelebornShuffle.WORKER_RPC_PORT));
        }
        case HOST_PATH_DAEMON_SET -> out.add(new Component(SHUFFLE_SERVICE,
            PlatformStatus.Kind.SHUFFLE_SERVICE, "DaemonSet", p.names().shuffleServiceName(), null,
            ((HostPathShuffleService) s).port()));
        case SHUFFLE_TRACKING -> { }
      }
    });
    return out;
  }

  // ---- client conf ----------------------------------------------------------------------------

  /**
   * The shuffle conf a notebook of the platform gets: the service's client conf for the
   * notebook's Spark version. None for the hostPath service, which Spark 3 and 4 cannot use.
   */
  static SortedMap<String, String> notebookConf(SparkPlatform p, NotebookEnvironment nb) {
    if (p.shuffleService().isEmpty()
        || p.shuffleService().get().kind() == ShuffleService.Kind.HOST_PATH_DAEMON_SET) {
      return new TreeMap<>();
    }
    return p.shuffleConf(nb.effectiveSparkVersion());
  }

  // ---- objects --------------------------------------------------------------------------------

  /** Adds the shuffle service's objects to {@code applied}. */
  static void compile(SparkPlatform p, List<KubernetesObject> applied) {
    p.shuffleService().ifPresent(s -> {
      if (s instanceof CelebornShuffle c) {
        celeborn(p, c, applied);
      } else if (s instanceof HostPathShuffleService h) {
        hostPath(p, h, applied);
      }
    });
  }

  private static void celeborn(SparkPlatform p, CelebornShuffle c, List<KubernetesObject> applied) {
    String ns = p.namespace();
    String confName = p.names().celebornConfName();
    Map<String, String> confLabels = PlatformObjects.labels(p, CELEBORN_MASTER, "celeborn",
        "shuffle-service", c.version());
    applied.add(new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
        .metadata(PlatformObjects.meta(confName, ns, confLabels))
        .putDataItem("celeborn-defaults.conf", PropertiesText.of(celebornServerConf(p, c),
            "celeborn-defaults.conf of platform " + p.name() + ", written by sparkk8s")));

    // Masters.
    String master = p.names().celebornMasterName();
    Map<String, String> masterLabels = PlatformObjects.labels(p, CELEBORN_MASTER, "celeborn",
        "shuffle-master", c.version());
    applied.add(headless(master, ns, masterLabels, p.names().selector(CELEBORN_MASTER),
        Map.of("rpc", CelebornShuffle.MASTER_PORT, "http", CelebornShuffle.MASTER_HTTP_PORT,
            "ratis", CelebornShuffle.RATIS_PORT)));
    V1Container mc = celebornContainer(c, "celeborn-master", "/opt/celeborn/sbin/start-master.sh",
        CelebornShuffle.MASTER_PORT)
        .addPortsItem(new V1ContainerPort().name("rpc").containerPort(CelebornShuffle.MASTER_PORT))
        .addPortsItem(new V1ContainerPort().name("http").containerPort(CelebornShuffle.MASTER_HTTP_PORT))
        .addPortsItem(new V1ContainerPort().name("ratis").containerPort(CelebornShuffle.RATIS_PORT))
        .addEnvItem(new V1EnvVar().name("CELEBORN_MASTER_MEMORY").value(c.masterMemory()))
        .addVolumeMountsItem(new V1VolumeMount().name("ratis").mountPath(CELEBORN_DATA + "/ratis"))
        .resources(resources(c.masterCpuRequest(), heapWithOverheadMib(c.masterMemory())));
    if (c.masterReplicas() > 1) {
      // Each master finds its own entry among celeborn.master.ha.node.<id>.* by this id, its
      // StatefulSet ordinal (the pod-index label of Kubernetes 1.28+). CelebornConf reads
      // celeborn.* system properties (its loadFromMap of the JVM's properties), and the start
      // scripts pass CELEBORN_MASTER_JAVA_OPTS to the master's JVM.
      mc.addEnvItem(new V1EnvVar().name("POD_INDEX").valueFrom(new V1EnvVarSource()
              .fieldRef(new V1ObjectFieldSelector()
                  .fieldPath("metadata.labels['apps.kubernetes.io/pod-index']"))))
          .addEnvItem(new V1EnvVar().name("CELEBORN_MASTER_JAVA_OPTS")
              .value("-Dceleborn.master.ha.node.id=$(POD_INDEX)"));
    }
    applied.add(statefulSet(p, c, master, masterLabels, CELEBORN_MASTER, c.masterReplicas(), mc,
        List.of(claim("ratis", masterLabels, c.masterStorageSize(), c))));

    // Workers.
    String worker = p.names().celebornWorkerName();
    Map<String, String> workerLabels = PlatformObjects.labels(p, CELEBORN_WORKER, "celeborn",
        "shuffle-worker", c.version());
    applied.add(headless(worker, ns, workerLabels, p.names().selector(CELEBORN_WORKER),
        Map.of("rpc", CelebornShuffle.WORKER_RPC_PORT, "push", CelebornShuffle.WORKER_PUSH_PORT,
            "fetch", CelebornShuffle.WORKER_FETCH_PORT,
            "replicate", CelebornShuffle.WORKER_REPLICATE_PORT,
            "http", CelebornShuffle.WORKER_HTTP_PORT)));
    long workerMib = heapWithOverheadMib(c.workerMemory()) + Checks.sparkMemoryMib(c.workerOffHeapMemory());
    V1Container wc = celebornContainer(c, "celeborn-worker", "/opt/celeborn/sbin/start-worker.sh",
        CelebornShuffle.WORKER_RPC_PORT)
        .addPortsItem(new V1ContainerPort().name("rpc").containerPort(CelebornShuffle.WORKER_RPC_PORT))
        .addPortsItem(new V1ContainerPort().name("push").containerPort(CelebornShuffle.WORKER_PUSH_PORT))
        .addPortsItem(new V1ContainerPort().name("fetch").containerPort(CelebornShuffle.WORKER_FETCH_PORT))
        .addPortsItem(new V1ContainerPort().name("replicate")
            .containerPort(CelebornShuffle.WORKER_REPLICATE_PORT))
        .addPortsItem(new V1ContainerPort().name("http").containerPort(CelebornShuffle.WORKER_HTTP_PORT))
        .addEnvItem(new V1EnvVar().name("CELEBORN_WORKER_MEMORY").value(c.workerMemory()))
        .addEnvItem(new V1EnvVar().name("CELEBORN_WORKER_OFFHEAP_MEMORY").value(c.workerOffHeapMemory()))
        .resources(resources(c.workerCpuRequest(), workerMib));
    List<V1PersistentVolumeClaim> disks = new ArrayList<>();
    for (int i = 0; i < c.workerDisks(); i++) {
      wc.addVolumeMountsItem(new V1VolumeMount().name("disk" + i).mountPath(CELEBORN_DATA + "/disk" + i));
      disks.add(claim("disk" + i, workerLabels, c.workerDiskSize(), c));
    }
    applied.add(statefulSet(p, c, worker, workerLabels, CELEBORN_WORKER, c.workerReplicas(), wc, disks));
  }

  /** {@code celeborn-defaults.conf}: endpoints, HA peers, fixed ports, storage directories. */
  static TreeMap<String, String> celebornServerConf(SparkPlatform p, CelebornShuffle c) {
    TreeMap<String, String> conf = new TreeMap<>();
    conf.put("celeborn.master.endpoints",
        String.join(",", p.names().celebornMasterEndpoints(c.masterReplicas())));
    conf.put("celeborn.master.port", Integer.toString(CelebornShuffle.MASTER_PORT));
    conf.put("celeborn.master.http.port", Integer.toString(CelebornShuffle.MASTER_HTTP_PORT));
    conf.put("celeborn.master.ha.ratis.raft.server.storage.dir", CELEBORN_DATA + "/ratis");
    if (c.masterReplicas() > 1) {
      conf.put("celeborn.master.ha.enabled", "true");
      for (int i = 0; i < c.masterReplicas(); i++) {
        String node = "celeborn.master.ha.node." + i;
        conf.put(node + ".host", p.names().celebornMasterHost(i));
        conf.put(node + ".port", Integer.toString(CelebornShuffle.MASTER_PORT));
        conf.put(node + ".ratis.port", Integer.toString(CelebornShuffle.RATIS_PORT));
      }
    }
    long capacityMib = Quantity.fromString(c.workerDiskSize()).getNumber()
        .divideToIntegralValue(java.math.BigDecimal.valueOf(1024L * 1024)).longValue();
    List<String> dirs = new ArrayList<>();
    for (int i = 0; i < c.workerDisks(); i++) {
      dirs.add(CELEBORN_DATA + "/disk" + i + ":capacity=" + capacityMib + "m");
    }
    conf.put("celeborn.worker.storage.dirs", String.join(",", dirs));
    conf.put("celeborn.worker.rpc.port", Integer.toString(CelebornShuffle.WORKER_RPC_PORT));
    conf.put("celeborn.worker.push.port", Integer.toString(CelebornShuffle.WORKER_PUSH_PORT));
    conf.put("celeborn.worker.fetch.port", Integer.toString(CelebornShuffle.WORKER_FETCH_PORT));
    conf.put("celeborn.worker.replicate.port", Integer.toString(CelebornShuffle.WORKER_REPLICATE_PORT));
    conf.put("celeborn.worker.http.port", Integer.toString(CelebornShuffle.WORKER_HTTP_PORT));
    // The disk monitor reads /sys/block, which says nothing true about a claim inside a pod.
    conf.put("celeborn.worker.monitor.disk.enabled", "false");
    conf.putAll(c.celebornConf());
    return conf;
  }

  private static V1Container celebornContainer(CelebornShuffle c, String name, String script, int port) {
    return new V1Container().name(name).image(c.containerImage())
        // The image's entrypoint is tini; the script runs the server in the foreground with
        // CELEBORN_NO_DAEMONIZE.
        .args(List.of(script))
        .addEnvItem(new V1EnvVar().name("CELEBORN_CONF_DIR").value(CELEBORN_CONF_DIR))
        .addEnvItem(new V1EnvVar().name("CELEBORN_NO_DAEMONIZE").value("1"))
        .addVolumeMountsItem(new V1VolumeMount().name("celeborn-conf").mountPath(CELEBORN_CONF_DIR)
            .readOnly(true))
        .readinessProbe(new V1Probe().tcpSocket(new V1TCPSocketAction().port(new IntOrString(port)))
            .initialDelaySeconds(5).periodSeconds(5))
        .securityContext(PlatformObjects.containerSecurity());
  }

  private static V1StatefulSet statefulSet(SparkPlatform p, CelebornShuffle c, String name,
      Map<String, String> labels, String component, int replicas, V1Container container,
      List<V1PersistentVolumeClaim> claims) {
    V1PodSpec pod = new V1PodSpec().enableServiceLinks(false).automountServiceAccountToken(false)
        .securityContext(PlatformObjects.podSecurity(c.runAsUser(), c.runAsUser()))
        .addContainersItem(container)
        .addVolumesItem(new V1Volume().name("celeborn-conf")
            .configMap(new V1ConfigMapVolumeSource().name(p.names().celebornConfName())));
    return new V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet")
        .metadata(PlatformObjects.meta(name, p.namespace(), labels))
        .spec(new V1StatefulSetSpec().replicas(replicas).serviceName(name)
            // All at once: masters need a Raft majority before any is useful.
            .podManagementPolicy("Parallel")
            .selector(new V1LabelSelector().matchLabels(p.names().selector(component)))
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(new TreeMap<>(labels)))
                .spec(pod))
            // Claims carry the release labels, so teardownAndDeleteClaims finds them and
            // teardown keeps them, as for notebooks; the StatefulSet's default retention
            // (Retain) agrees.
            .volumeClaimTemplates(claims));
  }

  private static V1PersistentVolumeClaim claim(String name, Map<String, String> labels, String size,
      CelebornShuffle c) {
    V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
        .accessModes(List.of("ReadWriteOnce"))
        .resources(new V1VolumeResourceRequirements()
            .requests(Map.of("storage", Quantity.fromString(size))));
    c.storageClass().ifPresent(spec::storageClassName);
    return new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim")
        .metadata(new V1ObjectMeta().name(name).labels(new TreeMap<>(labels))).spec(spec);
  }

  private static V1Service headless(String name, String ns, Map<String, String> labels,
      Map<String, String> selector, Map<String, Integer> ports) {
    V1ServiceSpec spec = new V1ServiceSpec().clusterIP("None").selector(selector)
        // Masters must resolve each other before they are ready: readiness needs the Raft group.
        .publishNotReadyAddresses(true);
    new TreeMap<>(ports).forEach((n, port) -> spec.addPortsItem(PlatformObjects.port(n, port)));
    return new V1Service().apiVersion("v1").kind("Service")
        .metadata(PlatformObjects.meta(name, ns, labels)).spec(spec);
  }

  private static long heapWithOverheadMib(String heap) {
    long mib = Checks.sparkMemoryMib(heap);
    return mib + Math.max(384, mib / 2);
  }

  private static V1ResourceRequirements resources(String cpu, long memoryMib) {
    Quantity memory = Quantity.fromString(memoryMib + "Mi");
    return new V1ResourceRequirements()
        .requests(Map.of("cpu", Quantity.fromString(cpu), "memory", memory))
        .limits(Map.of("memory", memory));
  }

  private static void hostPath(SparkPlatform p, HostPathShuffleService h, List<KubernetesObject> applied) {
    String name = p.names().shuffleServiceName();
    Map<String, String> labels = PlatformObjects.labels(p, SHUFFLE_SERVICE,
        PlatformStatus.Kind.SHUFFLE_SERVICE.label(), "shuffle-service", h.sparkVersion());
    long heapMib = Checks.sparkMemoryMib(h.memory());
    V1Container c = new V1Container().name(SHUFFLE_SERVICE).image(h.containerImage())
        // The official image's entrypoint runs anything that is not driver or executor as given.
        .args(List.of("/opt/spark/bin/spark-class", "org.apache.spark.deploy.ExternalShuffleService"))
        .addPortsItem(new V1ContainerPort().name("shuffle").containerPort(h.port()))
        .addEnvItem(new V1EnvVar().name("SPARK_NO_DAEMONIZE").value("true"))
        .addEnvItem(new V1EnvVar().name("SPARK_DAEMON_MEMORY").value(h.memory()))
        // spark-class passes SPARK_SHUFFLE_OPTS to this class only (SparkClassCommandBuilder).
        .addEnvItem(new V1EnvVar().name("SPARK_SHUFFLE_OPTS")
            .value("-Dspark.shuffle.service.port=" + h.port()))
        // Its registered-executors database goes to the host directory, next to the files.
        .addEnvItem(new V1EnvVar().name("SPARK_LOCAL_DIRS").value(h.hostDirectory()))
        .addVolumeMountsItem(new V1VolumeMount().name("shuffle-dir").mountPath(h.hostDirectory()))
        .resources(resources(h.cpuRequest(), heapMib + Math.max(384, heapMib / 2)))
        .readinessProbe(new V1Probe().tcpSocket(new V1TCPSocketAction().port(new IntOrString(h.port())))
            .initialDelaySeconds(3).periodSeconds(5))
        .securityContext(PlatformObjects.containerSecurity());
    V1PodSpec pod = new V1PodSpec().enableServiceLinks(false).automountServiceAccountToken(false)
        .securityContext(PlatformObjects.podSecurity(h.runAsUser(), h.runAsUser()))
        .addContainersItem(c)
        .addVolumesItem(new V1Volume().name("shuffle-dir").hostPath(new V1HostPathVolumeSource()
            .path(h.hostDirectory()).type("DirectoryOrCreate")));
    if (h.prepareDirectory()) {
      // The kubelet creates a missing hostPath directory as root, mode 0755; the service and the
      // executors write as the Spark uid. Root with CHOWN alone is enough to hand it over.
      pod.addInitContainersItem(new V1Container().name("prepare-directory").image(h.containerImage())
          .command(List.of("chown", h.runAsUser() + ":" + h.runAsUser(), h.hostDirectory()))
          .addVolumeMountsItem(new V1VolumeMount().name("shuffle-dir").mountPath(h.hostDirectory()))
          .securityContext(new V1SecurityContext().runAsUser(0L).runAsNonRoot(false)
              .allowPrivilegeEscalation(false)
              .capabilities(new V1Capabilities().drop(List.of("ALL")).add(List.of("CHOWN")))));
    }
    applied.add(new V1DaemonSet().apiVersion("apps/v1").kind("DaemonSet")
        .metadata(PlatformObjects.meta(name, p.namespace(), labels))
        .spec(new V1DaemonSetSpec()
            .selector(new V1LabelSelector().matchLabels(p.names().shuffleServiceSelector()))
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(new TreeMap<>(labels)))
                .spec(pod))));
  }
}
