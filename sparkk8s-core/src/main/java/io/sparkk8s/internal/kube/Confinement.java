package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.sparkk8s.JobAttempt;
import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.internal.compile.VolcanoPodGroup;
import io.sparkk8s.spec.JobNames;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the objects of an attempt read back from a record may be before the SDK creates them:
 * exactly the kinds and names the SDK writes for one attempt (the driver Pod; the PodGroup created
 * before it; the ConfigMaps, Service, Secret and claims it owns), all in the job's own namespace,
 * none owned by anything yet, and a driver that uses no host namespace, no privileged container
 * and no hostPath volume that the attempt's own Spark properties do not declare (the SDK's
 * compiler writes each of the job's volumes in both places). Checked even for sealed records:
 * the seal says who wrote a record, this says that it is an attempt. Pure.
 */
final class Confinement {
  private static final Pattern PREFIX = Pattern.compile(
      "[a-z0-9]([-a-z0-9.]*[a-z0-9])?-[0-9a-f]{" + JobNames.UNIQUE_ID_LENGTH + "}");
  private static final String DRIVER_VOLUMES = "spark.kubernetes.driver.volumes.hostPath.";

  private Confinement() {}

  /** Every way {@code o}, attempt {@code o.number()} of job {@code jobId}, breaks the rules. */
  static List<String> problems(Attempts.Objects o, String ns, String jobId) {
    List<String> out = new ArrayList<>();
    String appId = JobAttempt.appIdOf(jobId, o.number());
    if (!appId.equals(o.appId())) {
      out.add("the driver's application id " + o.appId() + " is not attempt " + o.number()
          + "'s (" + appId + ")");
    }
    String driverName = String.valueOf(o.driver().getMetadata().getName());
    String prefix = driverName.endsWith("-driver")
        ? driverName.substring(0, driverName.length() - "-driver".length()) : "";
    if (!PREFIX.matcher(prefix).matches()) {
      out.add("the driver's name " + driverName + " is not <resource prefix>-driver");
    }
    String uniqueId = prefix.length() > JobNames.UNIQUE_ID_LENGTH
        ? prefix.substring(prefix.length() - JobNames.UNIQUE_ID_LENGTH) : "";
    Stream.of(o.pre().stream(), Stream.of(o.driver()), o.owned().stream()).flatMap(s -> s)
        .forEach(x -> metadata(x, ns, out));
    for (KubernetesObject x : o.pre()) {
      if (!(x instanceof VolcanoPodGroup)
          || !VolcanoPodGroup.API_VERSION.equals(x.getApiVersion())
          || !Objects.equals(x.getMetadata().getName(), appId + "-podgroup")) {
        out.add(describe(x) + " is not the attempt's PodGroup (" + appId + "-podgroup)");
      }
    }
    for (KubernetesObject x : o.owned()) {
      String name = String.valueOf(x.getMetadata().getName());
      boolean prefixed = name.startsWith(prefix + "-");
      boolean ok = "v1".equals(x.getApiVersion()) && switch (String.valueOf(x.getKind())) {
        case "Service", "Secret" -> prefixed;
        case "ConfigMap" -> prefixed || name.equals("spark-drv-" + uniqueId + "-conf-map");
        case "PersistentVolumeClaim" -> appId.equals(PodFacts.label(x, "spark-app-selector"));
        default -> false;
      };
      if (!ok) {
        out.add(describe(x) + " is not a kind and name the SDK writes for attempt " + o.number()
            + " (prefix " + prefix + ")");
      }
    }
    if (!"v1".equals(o.driver().getApiVersion()) || !"Pod".equals(o.driver().getKind())) {
      out.add("the driver is " + describe(o.driver()));
    }
    if (!"driver".equals(PodFacts.label(o.driver(), "spark-role"))
        || !appId.equals(PodFacts.label(o.driver(), "spark-app-selector"))) {
      out.add("the driver is not labelled spark-role=driver, spark-app-selector=" + appId);
    }
    driverSpec(o, out);
    return out;
  }

  private static void metadata(KubernetesObject x, String ns, List<String> out) {
    var m = x.getMetadata();
    if (m == null || m.getName() == null || m.getName().isEmpty()) {
      out.add("a " + x.getKind() + " without a name");
      return;
    }
    if (!ns.equals(m.getNamespace())) {
      out.add(describe(x) + " is in namespace " + m.getNamespace() + ", not the job's " + ns);
    }
    if (m.getOwnerReferences() != null && !m.getOwnerReferences().isEmpty()) {
      out.add(describe(x) + " has owners; the SDK sets them itself");
    }
    if (m.getGenerateName() != null) {
      out.add(describe(x) + " has a generateName");
    }
  }

  private static void driverSpec(Attempts.Objects o, List<String> out) {
    V1PodSpec spec = o.driver().getSpec();
    if (spec == null) {
      out.add("the driver has no spec");
      return;
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      out.add("the driver uses a host namespace (hostNetwork, hostPID or hostIPC)");
    }
    List<V1Container> containers = new ArrayList<>();
    if (spec.getContainers() != null) {
      containers.addAll(spec.getContainers());
    }
    if (spec.getInitContainers() != null) {
      containers.addAll(spec.getInitContainers());
    }
    for (V1Container c : containers) {
      if (c.getSecurityContext() != null
          && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())) {
        out.add("container " + c.getName() + " of the driver is privileged");
      }
    }
    Properties conf = sparkProperties(o);
    for (V1Volume v : spec.getVolumes() == null ? List.<V1Volume>of() : spec.getVolumes()) {
      if (v.getHostPath() != null && !Objects.equals(v.getHostPath().getPath(),
          conf.getProperty(DRIVER_VOLUMES + v.getName() + ".options.path"))) {
        out.add("the driver mounts hostPath " + v.getHostPath().getPath() + " (volume "
            + v.getName() + ") that the attempt's Spark properties do not declare");
      }
    }
  }

  /** The attempt's spark.properties, from its properties ConfigMap; empty when it has none. */
  private static Properties sparkProperties(Attempts.Objects o) {
    Properties p = new Properties();
    o.owned().stream().filter(V1ConfigMap.class::isInstance).map(V1ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName() != null
            && c.getMetadata().getName().startsWith("spark-drv-"))
        .map(c -> c.getData() == null ? null : c.getData().get(JobCompiler.PROPERTIES_KEY))
        .filter(Objects::nonNull).findFirst().ifPresent(text -> {
          try {
            p.load(new StringReader(text));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return p;
  }

  private static String describe(KubernetesObject x) {
    var m = x.getMetadata();
    return x.getApiVersion() + " " + x.getKind() + " "
        + (m == null ? "?" : m.getNamespace() + "/" + m.getName());
  }
}
