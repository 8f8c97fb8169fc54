package io.sparkk8s.internal.compile;

import static io.sparkk8s.spec.PlatformNames.COMPONENT_LABEL;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.spec.StorageExpansion;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.Volume;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The names, labels and shared pieces of a platform's objects: what {@link PlatformCompiler},
 * {@link ZeppelinPod} and {@link ShuffleCompiler} build with, and what the client finds the
 * objects by.
 */
public final class PlatformObjects {
  static final String MANAGED_BY = "sparkk8s";
  static final String PART_OF = "sparkk8s-platform";
  public static final String TOKEN_KEY = "token";
  /** The key of a Zeppelin login Secret holding the generated password. */
  public static final String PASSWORD_KEY = "password";
  /** The key of a Zeppelin login Secret holding Zeppelin's {@code shiro.ini}. */
  public static final String SHIRO_KEY = "shiro.ini";
  /**
   * Marks a Secret whose content the client draws: {@value #CREDENTIAL_ZEPPELIN} for a Zeppelin
   * login, {@value SparkAuthStep#CREDENTIAL} for a key of Spark's authentication; absent for a
   * Jupyter token.
   */
  public static final String CREDENTIAL_ANNOTATION = "sparkk8s.io/credential";
  public static final String CREDENTIAL_ZEPPELIN = "zeppelin-shiro";
  static final String SPARK_HOME = "/opt/sparkk8s/spark-home";
  static final String ZEPPELIN_SHIRO = "/opt/zeppelin/conf/shiro.ini";
  /**
   * Spark properties Zeppelin's Spark interpreter setting gives a non-empty default (its
   * interpreter-setting.json in 0.12.0), which it passes to spark-submit as {@code --conf} and so
   * over spark-defaults.conf. Zeppelin reads a property's initial value from a JVM system property
   * of the same name (DefaultInterpreterProperty.getValue), so the notebook's values go to the
   * server as {@code -D} options.
   */
  static final List<String> ZEPPELIN_INTERPRETER_DEFAULTS = List.of("spark.driver.cores",
      "spark.driver.memory", "spark.executor.cores", "spark.executor.instances",
      "spark.executor.memory");
  static final String SPARK_CONF_DIR = "/etc/sparkk8s/spark";
  static final String HISTORY_CONF_DIR = "/etc/sparkk8s/history";

  static String notebookName(SparkPlatform p, NotebookEnvironment nb) {
    return p.name() + "-" + nb.name();
  }

  static String tokenSecretName(SparkPlatform p, NotebookEnvironment nb) {
    return notebookName(p, nb) + "-token";
  }

  /** The Secret holding a Zeppelin notebook's password and {@code shiro.ini}. */
  static String loginSecretName(SparkPlatform p, NotebookEnvironment nb) {
    return notebookName(p, nb) + "-login";
  }

  /** The Secret holding a notebook's {@code spark.authenticate} key. */
  static String sparkAuthSecretName(SparkPlatform p, NotebookEnvironment nb) {
    return notebookName(p, nb) + "-spark-auth";
  }

  /** The Secret of a notebook's credential: its Jupyter token or its Zeppelin login. */
  public static String credentialSecretName(SparkPlatform p, NotebookEnvironment nb) {
    return nb.kind() == NotebookEnvironment.Kind.ZEPPELIN ? loginSecretName(p, nb)
        : tokenSecretName(p, nb);
  }

  static PlatformStatus.Kind kind(NotebookEnvironment nb) {
    return nb.kind() == NotebookEnvironment.Kind.ZEPPELIN ? PlatformStatus.Kind.ZEPPELIN
        : PlatformStatus.Kind.JUPYTER;
  }

  static String notebookClaimName(SparkPlatform p, NotebookEnvironment nb) {
    return nb.existingClaim().orElse(notebookName(p, nb) + "-notebooks");
  }

  static String historyName(SparkPlatform p) {
    return p.name() + "-history";
  }

  /** The labels of the whole release, which teardown and pruning select by. */
  public static String releaseSelector(SparkPlatform p) {
    return "app.kubernetes.io/instance=" + p.name() + ",app.kubernetes.io/managed-by=" + MANAGED_BY;
  }

  // ---- notebooks ------------------------------------------------------------------------------

  /**
   * Mounts the notebook's {@code spark.authenticate} key (when it has one) where Spark reads it,
   * {@link StorageExpansion#AUTH_FILE}: on the notebook, whose in-pod driver reads it, and through
   * the executor template on every executor.
   */
  static void mountSparkAuth(SparkPlatform p, NotebookEnvironment nb, V1PodSpec pod,
      V1Container c) {
    if (!nb.sparkAuthentication()) {
      return;
    }
    pod.addVolumesItem(new V1Volume().name("spark-auth").secret(new V1SecretVolumeSource()
        .secretName(sparkAuthSecretName(p, nb))));
    c.addVolumeMountsItem(new V1VolumeMount().name("spark-auth")
        .mountPath(StorageExpansion.AUTH_MOUNT_PATH).readOnly(true));
  }

  /** A notebook server's resources: its CPU request, and its memory as request and limit. */
  static V1ResourceRequirements notebookResources(NotebookEnvironment nb) {
    return new V1ResourceRequirements()
        .requests(Map.of("cpu", Quantity.fromString(nb.cpuRequest()),
            "memory", Quantity.fromString(nb.memory())))
        .limits(Map.of("memory", Quantity.fromString(nb.memory())));
  }

  /** The backends' volumes, Secret files and Secret variables on a platform pod's container. */
  static void mountBackends(V1PodSpec pod, V1Container c, List<StorageBackend> backends) {
    for (StorageBackend b : backends) {
      for (Volume v : b.volumes()) {
        V1Volume vol = new V1Volume().name(v.name());
        if (v.type() == Volume.Type.PERSISTENT_VOLUME_CLAIM) {
          vol.persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource()
              .claimName(v.options().get("claimName")).readOnly(v.readOnly()));
        } else {
          throw new IllegalStateException("storage volumes are claims, not " + v.type());
        }
        pod.addVolumesItem(vol);
        c.addVolumeMountsItem(new V1VolumeMount().name(v.name()).mountPath(v.mountPath())
            .readOnly(v.readOnly()));
      }
      for (SecretVolume s : b.secretVolumes()) {
        String vol = s.secretName() + "-volume";
        pod.addVolumesItem(new V1Volume().name(vol)
            .secret(new V1SecretVolumeSource().secretName(s.secretName())));
        c.addVolumeMountsItem(new V1VolumeMount().name(vol).mountPath(s.mountPath()).readOnly(true));
      }
      for (SecretEnv e : b.secretEnv()) {
        c.addEnvItem(new V1EnvVar().name(e.envName()).valueFrom(new V1EnvVarSource()
            .secretKeyRef(new V1SecretKeySelector().name(e.secretName()).key(e.key()))));
      }
    }
  }

  static V1PodSecurityContext podSecurity(long uid, long gid) {
    return new V1PodSecurityContext().runAsNonRoot(true).runAsUser(uid).runAsGroup(gid).fsGroup(gid)
        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault"));
  }

  static V1SecurityContext containerSecurity() {
    return new V1SecurityContext().runAsNonRoot(true).allowPrivilegeEscalation(false)
        .capabilities(new V1Capabilities().drop(List.of("ALL")));
  }

  static V1ServicePort port(String name, int port) {
    return new V1ServicePort().name(name).port(port).targetPort(new IntOrString(port));
  }

  static Map<String, String> labels(SparkPlatform p, String component, String app,
      String role, String version) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("app.kubernetes.io/name", app);
    labels.put("app.kubernetes.io/instance", p.name());
    labels.put("app.kubernetes.io/component", role);
    labels.put("app.kubernetes.io/part-of", PART_OF);
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    labels.put("app.kubernetes.io/version", version);
    labels.put(COMPONENT_LABEL, component);
    return labels;
  }

  static V1ObjectMeta meta(String name, String ns, Map<String, String> labels) {
    return new V1ObjectMeta().name(name).namespace(ns).labels(new TreeMap<>(labels));
  }

  private PlatformObjects() {}
}
