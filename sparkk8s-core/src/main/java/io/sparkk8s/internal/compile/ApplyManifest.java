package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.spec.StorageExpansion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A job's objects as a file for {@code kubectl apply -f}: the objects the driver pod mounts or
 * needs first, the driver pod last (so its volumes exist when the kubelet starts it), and a header
 * of comments holding the shell commands that make the driver the owner of the rest, as the client
 * does after it creates the pod. An owner reference needs the owner's uid, which exists only once
 * the pod does, so no static file can carry it. A Secret whose key the client would draw
 * ({@link SparkAuthStep}) is not in the file: a command of the header creates it with a key drawn
 * from {@code /dev/urandom}, so no key is ever written into a manifest.
 *
 * <p>Every name in the commands is a validated DNS name (the job's namespace, the objects'
 * names), so the commands need no quoting beyond what is written here.
 */
public final class ApplyManifest {
  /** The prefix of the header's command lines; {@link #ownershipScript} strips it. */
  public static final String COMMAND_PREFIX = "#   ";

  private ApplyManifest() {}

  /** The header, then the objects: {@code first}, {@code owned}, then the driver pod. */
  public static String render(List<KubernetesObject> first, V1Pod driver,
      List<KubernetesObject> owned) {
    List<KubernetesObject> dependents = new ArrayList<>(first);
    dependents.addAll(owned);
    StringBuilder out = new StringBuilder()
        .append("# For kubectl apply -f: the driver pod comes last, after the objects it mounts.\n");
    if (!dependents.isEmpty()) {
      out.append("# Then make the driver the owner of the rest, so that deleting the driver deletes")
          .append(" them\n# (an owner reference needs the pod's uid, which exists once it is created):\n");
      String namespace = driver.getMetadata().getNamespace();
      String pod = driver.getMetadata().getName();
      for (KubernetesObject o : dependents) {
        if (SparkAuthStep.wantsKey(o)) {
          // A key is never written in a file: drawn here, 256 bits as 64 hex digits.
          out.append(COMMAND_PREFIX).append("kubectl -n ").append(namespace)
              .append(" create secret generic ").append(o.getMetadata().getName())
              .append(" --from-literal=").append(StorageExpansion.AUTH_KEY)
              .append("=\"$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')\"\n");
        }
      }
      out.append(COMMAND_PREFIX).append("uid=$(kubectl -n ").append(namespace).append(" get pod ")
          .append(pod).append(" -o jsonpath='{.metadata.uid}')\n");
      out.append(COMMAND_PREFIX).append("for o in");
      for (KubernetesObject o : dependents) {
        out.append(' ').append(resource(o)).append('/').append(o.getMetadata().getName());
      }
      out.append("; do\n").append(COMMAND_PREFIX).append("  kubectl -n ").append(namespace)
          .append(" patch \"$o\" --type=merge -p '{\"metadata\":{\"ownerReferences\":[{")
          .append("\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"").append(pod)
          .append("\",\"uid\":\"'\"$uid\"'\",\"controller\":true}]}}'\n")
          .append(COMMAND_PREFIX).append("done\n");
    }
    List<Object> objects = new ArrayList<>(dependents);
    objects.removeIf(o -> SparkAuthStep.wantsKey((KubernetesObject) o));
    objects.add(driver);
    return out.append(Manifests.yaml(objects)).toString();
  }

  /** The header's commands of a rendered file, as a shell script. */
  public static String ownershipScript(String rendered) {
    StringBuilder script = new StringBuilder();
    for (String line : rendered.split("\n")) {
      if (line.startsWith(COMMAND_PREFIX)) {
        script.append(line.substring(COMMAND_PREFIX.length())).append('\n');
      } else if (!line.startsWith("#")) {
        break;
      }
    }
    return script.toString();
  }

  /** kubectl's name of the object's resource: {@code configmap}, {@code podgroup.scheduling.volcano.sh}. */
  static String resource(KubernetesObject o) {
    String kind = o.getKind().toLowerCase(Locale.ROOT);
    String apiVersion = o.getApiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? kind : kind + "." + apiVersion.substring(0, slash);
  }
}
