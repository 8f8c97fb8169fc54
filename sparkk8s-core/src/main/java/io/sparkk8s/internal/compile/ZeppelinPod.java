package io.sparkk8s.internal.compile;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.StorageBackend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;

/**
 * The pod of a Zeppelin notebook: the official Zeppelin image with its Spark interpreter run in
 * the pod (client mode), Spark copied in from the executors' image, and Shiro's login.
 *
 * <p>What was read to build it, in Zeppelin 0.12.0's sources (nothing copied): the image
 * (scripts/docker/zeppelin/bin/Dockerfile) runs {@code bin/zeppelin.sh} under tini as uid 1000 with
 * group 0, and makes {@code /opt/zeppelin}'s logs, run, conf and notebook directories writable for
 * group 0 only; {@code ZeppelinConfiguration} turns anonymous access off as soon as {@code
 * conf/shiro.ini} exists and picks the interpreter launcher from {@code ZEPPELIN_RUN_MODE} (in a
 * pod, "auto" would start interpreters as pods of their own); {@code SparkInterpreterLauncher}
 * takes {@code SPARK_HOME}, {@code SPARK_CONF_DIR} and the master ({@code spark.master}, whose
 * interpreter-setting default comes from the {@code SPARK_MASTER} variable), and {@code
 * bin/interpreter.sh} runs {@code $SPARK_HOME/bin/spark-submit ... $SPARK_SUBMIT_OPTIONS
 * <the interpreter's --conf>}, so spark-defaults.conf applies below both.
 */
public final class ZeppelinPod {
  static final String CONTAINER = "notebook";

  private ZeppelinPod() {}

  static V1PodSpec spec(SparkPlatform p, NotebookEnvironment nb, String serviceAccount,
      String confMap, SortedMap<String, String> sparkConf, List<StorageBackend> backends) {
    V1Container c = new V1Container().name(CONTAINER).image(nb.containerImage())
        // The image's own command (tini, then bin/zeppelin.sh) starts it.
        .addPortsItem(new V1ContainerPort().name("http").containerPort(NotebookEnvironment.ZEPPELIN_PORT))
        .addPortsItem(new V1ContainerPort().name("driver-rpc").containerPort(NotebookEnvironment.DRIVER_PORT))
        .addPortsItem(new V1ContainerPort().name("blockmanager")
            .containerPort(NotebookEnvironment.BLOCK_MANAGER_PORT))
        .addPortsItem(new V1ContainerPort().name("spark-ui").containerPort(NotebookEnvironment.UI_PORT))
        .addEnvItem(new V1EnvVar().name("POD_NAME").valueFrom(new V1EnvVarSource()
            .fieldRef(new V1ObjectFieldSelector().fieldPath("metadata.name"))))
        .addEnvItem(env("ZEPPELIN_ADDR", "0.0.0.0"))
        .addEnvItem(env("ZEPPELIN_PORT", Integer.toString(NotebookEnvironment.ZEPPELIN_PORT)))
        .addEnvItem(env("ZEPPELIN_RUN_MODE", "local"))
        .addEnvItem(env("ZEPPELIN_NOTEBOOK_DIR", nb.notebookDir()))
        .addEnvItem(env("SPARK_HOME", PlatformObjects.SPARK_HOME))
        .addEnvItem(env("SPARK_CONF_DIR", PlatformObjects.SPARK_CONF_DIR))
        .addEnvItem(env("SPARK_MASTER", sparkConf.get("spark.master")))
        // Executors are owned by the notebook pod; $(POD_NAME) is expanded by the kubelet and
        // interpreter.sh passes these options to spark-submit.
        .addEnvItem(env("SPARK_SUBMIT_OPTIONS",
            "--conf spark.kubernetes.driver.pod.name=$(POD_NAME)"));
    String interpreterDefaults = interpreterDefaults(sparkConf);
    if (!interpreterDefaults.isEmpty()) {
      c.addEnvItem(env("ZEPPELIN_JAVA_OPTS", interpreterDefaults));
    }
    c.addVolumeMountsItem(new V1VolumeMount().name("notebooks").mountPath(nb.notebookDir()))
        .addVolumeMountsItem(new V1VolumeMount().name("spark-conf")
            .mountPath(PlatformObjects.SPARK_CONF_DIR).readOnly(true))
        .addVolumeMountsItem(new V1VolumeMount().name("spark-home")
            .mountPath(PlatformObjects.SPARK_HOME).readOnly(true))
        .resources(PlatformObjects.notebookResources(nb))
        // Anonymous in Zeppelin's own shiro.ini, and in the one the SDK writes.
        .readinessProbe(new V1Probe().httpGet(new V1HTTPGetAction().path("/api/version")
                .port(new IntOrString(NotebookEnvironment.ZEPPELIN_PORT)))
            .initialDelaySeconds(10).periodSeconds(5))
        .securityContext(nb.restrictedSecurityContext() ? PlatformObjects.containerSecurity() : null);
    if (nb.authentication()) {
      c.addVolumeMountsItem(new V1VolumeMount().name("login").mountPath(PlatformObjects.ZEPPELIN_SHIRO)
          .subPath(PlatformObjects.SHIRO_KEY).readOnly(true));
    }

    // The Zeppelin image holds no Spark: copy the executors' one, so driver and executors match.
    V1Container sparkHome = new V1Container().name("spark-home").image(nb.executorContainerImage())
        .command(List.of("cp", "-R", "/opt/spark/.", PlatformObjects.SPARK_HOME + "/"))
        .addVolumeMountsItem(new V1VolumeMount().name("spark-home").mountPath(PlatformObjects.SPARK_HOME))
        .securityContext(nb.restrictedSecurityContext() ? PlatformObjects.containerSecurity() : null);

    V1PodSpec pod = new V1PodSpec().serviceAccountName(serviceAccount).enableServiceLinks(false)
        // Group 0 as a supplementary group: Zeppelin's image lets only group 0 write its logs,
        // run and conf directories (an OpenShift-style image). No privilege comes with it.
        .securityContext(nb.restrictedSecurityContext()
            ? PlatformObjects.podSecurity(nb.runAsUser(), nb.runAsGroup()).supplementalGroups(List.of(0L))
            : new io.kubernetes.client.openapi.models.V1PodSecurityContext()
                .runAsUser(nb.runAsUser()).runAsGroup(nb.runAsGroup()).fsGroup(nb.runAsGroup())
                .supplementalGroups(List.of(0L)))
        .addInitContainersItem(sparkHome)
        .addContainersItem(c)
        .addVolumesItem(new V1Volume().name("notebooks").persistentVolumeClaim(
            new V1PersistentVolumeClaimVolumeSource().claimName(PlatformObjects.notebookClaimName(p, nb))))
        .addVolumesItem(new V1Volume().name("spark-conf")
            .configMap(new V1ConfigMapVolumeSource().name(confMap)))
        .addVolumesItem(new V1Volume().name("spark-home")
            .emptyDir(new V1EmptyDirVolumeSource().sizeLimit(Quantity.fromString("2Gi"))));
    if (nb.authentication()) {
      pod.addVolumesItem(new V1Volume().name("login").secret(new V1SecretVolumeSource()
          .secretName(PlatformObjects.loginSecretName(p, nb)).defaultMode(0440)
          .items(List.of(new V1KeyToPath().key(PlatformObjects.SHIRO_KEY)
              .path(PlatformObjects.SHIRO_KEY)))));
    }
    PlatformObjects.mountBackends(pod, c, backends);
    PlatformObjects.mountSparkAuth(p, nb, pod, c);
    return pod;
  }

  /**
   * The notebook's values of the Spark properties Zeppelin's interpreter setting defaults (and
   * would pass over spark-defaults.conf), as system properties of the Zeppelin server, from which
   * the interpreter setting takes its initial values. With dynamic allocation and no executor
   * count, Zeppelin's default of 2 would start executors nobody asked for: 0 instead.
   */
  static String interpreterDefaults(SortedMap<String, String> sparkConf) {
    List<String> opts = new ArrayList<>();
    for (String key : PlatformObjects.ZEPPELIN_INTERPRETER_DEFAULTS) {
      String value = sparkConf.get(key);
      if (value == null && key.equals("spark.executor.instances")
          && "true".equals(sparkConf.get("spark.dynamicAllocation.enabled"))) {
        value = sparkConf.getOrDefault("spark.dynamicAllocation.minExecutors", "0");
      }
      if (value != null) {
        opts.add("-D" + key + "=" + jvmOptionValue(key, value));
      }
    }
    return String.join(" ", opts);
  }

  /**
   * A value as it may stand in {@code ZEPPELIN_JAVA_OPTS}, which {@code bin/zeppelin.sh} expands
   * unquoted: the shell splits it on white space and expands globs, and no quoting survives that.
   * So nothing is quoted; anything beyond letters, digits and {@code . _ -} is refused. The
   * notebook's validation (sizes, whole numbers) already keeps such values out; this holds the
   * line should a new key reach here unchecked.
   */
  static String jvmOptionValue(String key, String value) {
    if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("the notebook's " + key + " cannot be passed in"
          + " ZEPPELIN_JAVA_OPTS: only letters, digits, '.', '_' and '-' are safe on a JVM option"
          + " line the shell splits");
    }
    return value;
  }

  /**
   * Zeppelin's {@code shiro.ini} with one {@code admin} user whose password is kept as its SHA-256
   * (Shiro's implicit {@code iniRealm} with a {@code Sha256CredentialsMatcher}, as Shiro's INI
   * documentation shows), so the file holds no password. The [urls] section follows the rules of
   * Zeppelin's conf/shiro.ini.template: only the version (the readiness probe) is anonymous.
   */
  public static String shiroIni(String password) {
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    return String.join("\n",
        "# Written by sparkk8s when the notebook was first deployed; the password is in the",
        "# Secret's '" + PlatformObjects.PASSWORD_KEY + "' key.",
        "[main]",
        "sha256Matcher = org.apache.shiro.authc.credential.Sha256CredentialsMatcher",
        "iniRealm.credentialsMatcher = $sha256Matcher",
        "sessionManager = org.apache.shiro.web.session.mgt.DefaultWebSessionManager",
        "cookie = org.apache.shiro.web.servlet.SimpleCookie",
        "cookie.name = JSESSIONID",
        "cookie.httpOnly = true",
        "sessionManager.sessionIdCookie = $cookie",
        "securityManager.sessionManager = $sessionManager",
        "securityManager.sessionManager.globalSessionTimeout = 86400000",
        "shiro.loginUrl = /api/login",
        "",
        "[users]",
        NotebookEnvironment.ZEPPELIN_USER + " = " + hash + ", admin",
        "",
        "[roles]",
        "admin = *",
        "",
        "[urls]",
        "/api/version = anon",
        "/api/interpreter/** = authc, roles[admin]",
        "/api/notebook-repositories/** = authc, roles[admin]",
        "/api/configurations/** = authc, roles[admin]",
        "/api/credential/** = authc, roles[admin]",
        "/api/admin/** = authc, roles[admin]",
        "/** = authc",
        "");
  }

  private static V1EnvVar env(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }
}
