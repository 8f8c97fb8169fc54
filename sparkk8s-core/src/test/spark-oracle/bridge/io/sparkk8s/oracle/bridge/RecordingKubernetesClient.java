package io.sparkk8s.oracle.bridge;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fabric8 {@link KubernetesClient} that talks to no server: it records the calls Spark's
 * {@code Client.run} makes (create, server-side apply, delete) with the JSON of the objects as they
 * were at the time of the call, answers them like an API server would (the created pod gets a
 * uid), and stops the submission with {@link SubmissionDone} where spark-submit would start
 * watching the driver pod.
 *
 * <p>It is a dynamic proxy that follows fabric8's fluent DSL generically, resolving each method's
 * generic return type ({@code pods()} gives {@code MixedOperation<Pod, PodList, PodResource>},
 * {@code inNamespace} an operation on the same types, {@code resource(pod)} a {@code PodResource},
 * ...), so it works with fabric8 6 (Spark 3.5) and 7 (Spark 4.1) alike. Any call that is neither a
 * step of that DSL nor handled here fails loudly, naming the method: a Spark version that talks
 * to the cluster in a new way must not be silently mis-recorded.
 */
final class RecordingKubernetesClient {

  /** Thrown where spark-submit would wait for the application; ends {@code Client.run}. */
  static final class SubmissionDone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SubmissionDone() {
      super("the driver pod is submitted; spark-submit would now watch it", null, false, false);
    }
  }

  /** One call that reached the API server. */
  record Call(String verb, String namespace, List<HasMetadata> objects, List<String> json) {
    @Override
    public String toString() {
      return verb + (namespace == null ? "" : " in " + namespace) + " " + objects.stream()
          .map(o -> o.getKind() + "/" + o.getMetadata().getName())
          .collect(Collectors.toList());
    }
  }

  /** What a chain of DSL calls has selected so far. */
  private record Target(String namespace, String name, List<HasMetadata> items) {
    Target inNamespace(String ns) {
      return new Target(ns, name, items);
    }

    Target withName(String n) {
      return new Target(namespace, n, items);
    }

    Target withItems(List<HasMetadata> selected) {
      return new Target(namespace, name, selected);
    }
  }

  private final String defaultNamespace;
  private final String driverPodUid;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final TypeFactory types = TypeFactory.defaultInstance();
  private final List<Call> calls = new ArrayList<>();

  /**
   * @param defaultNamespace the client's namespace: spark-submit builds its client for
   *     {@code spark.kubernetes.namespace}
   * @param driverPodUid the uid given to created pods
   */
  RecordingKubernetesClient(String defaultNamespace, String driverPodUid) {
    this.defaultNamespace = defaultNamespace;
    this.driverPodUid = driverPodUid;
  }

  KubernetesClient client() {
    return (KubernetesClient) proxy(
        types.constructType(KubernetesClient.class), new Target(defaultNamespace, null, List.of()));
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  String describeCalls() {
    return calls.toString();
  }

  private Object proxy(JavaType type, Target target) {
    Class<?> raw = type.getRawClass();
    return Proxy.newProxyInstance(raw.getClassLoader(), new Class<?>[] {raw},
        (self, method, args) -> invoke(type, target, self, method, args == null ? new Object[0] : args));
  }

  private Object invoke(JavaType type, Target target, Object self, Method method, Object[] args) {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return self == args[0];
        case "hashCode":
          return System.identityHashCode(self);
        default:
          return "RecordingKubernetesClient[" + type.toCanonical() + "]";
      }
    }
    switch (method.getName()) {
      case "inNamespace":
        return next(type, method, target.inNamespace((String) args[0]));
      case "withName":
        return next(type, method, target.withName((String) args[0]));
      case "resource":
        return next(type, method, target.withItems(List.of((HasMetadata) args[0])));
      case "resourceList":
        return next(type, method, target.withItems(items(args)));
      case "load":
        // KubernetesUtils.loadPodFromTemplate: client.pods().load(templateFile).item()
        JavaType resource = returnType(type, method);
        Class<?> itemType = returnType(resource, method("item", resource.getRawClass())).getRawClass();
        return proxy(resource, target.withItems(List.of(load(args[0], itemType))));
      case "item":
        return target.items().isEmpty() ? null : target.items().get(0);
      case "create":
        return create(target, args);
      case "serverSideApply":
      case "createOrReplace":
        record("apply", target, target.items());
        return method.getReturnType().isAssignableFrom(List.class)
            ? new ArrayList<>(target.items())
            : target.items().get(0);
      case "delete":
        record("delete", target, target.items());
        return method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class
            ? Boolean.TRUE
            : List.of();
      case "watch":
        record("watch", target, target.items());
        throw new SubmissionDone();
      default:
        if (args.length > 0) {
          throw unsupported(method);
        }
        return next(type, method, target);
    }
  }

  private Object next(JavaType type, Method method, Target target) {
    JavaType next = returnType(type, method);
    if (!next.getRawClass().isInterface()
        || !next.getRawClass().getName().startsWith("io.fabric8.")) {
      throw unsupported(method);
    }
    return proxy(next, target);
  }

  /** The return type of {@code method} when called on {@code owner}, type variables resolved. */
  private JavaType returnType(JavaType owner, Method method) {
    JavaType declaring = owner.findSuperType(method.getDeclaringClass());
    TypeBindings bindings = declaring != null ? declaring.getBindings() : owner.getBindings();
    return types.resolveMemberType(method.getGenericReturnType(), bindings);
  }

  private Object create(Target target, Object[] args) {
    List<HasMetadata> items = args.length > 0 ? items(args) : target.items();
    if (items.size() != 1) {
      throw new IllegalStateException("create of " + items.size() + " objects");
    }
    record("create", target, items);
    // What the API server answers: the object, now with a namespace and a uid.
    HasMetadata created = serialization.unmarshal(serialization.asJson(items.get(0)),
        items.get(0).getClass());
    created.getMetadata().setUid(driverPodUid);
    if (created.getMetadata().getNamespace() == null) {
      created.getMetadata().setNamespace(target.namespace());
    }
    return created;
  }

  private void record(String verb, Target target, List<HasMetadata> objects) {
    List<String> json = objects.stream().map(serialization::asJson).collect(Collectors.toList());
    calls.add(new Call(verb, target.namespace(), List.copyOf(objects), json));
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> items(Object[] args) {
    if (args.length == 1 && args[0] instanceof HasMetadata[]) {
      return Arrays.asList((HasMetadata[]) args[0]);
    }
    if (args.length == 1 && args[0] instanceof Collection) {
      return new ArrayList<>((Collection<HasMetadata>) args[0]);
    }
    if (args.length == 1 && args[0] instanceof KubernetesResourceList) {
      return new ArrayList<>(((KubernetesResourceList<HasMetadata>) args[0]).getItems());
    }
    if (Arrays.stream(args).allMatch(HasMetadata.class::isInstance)) {
      return Arrays.stream(args).map(HasMetadata.class::cast).collect(Collectors.toList());
    }
    throw new UnsupportedOperationException("objects given as " + Arrays.toString(args));
  }

  private HasMetadata load(Object source, Class<?> itemType) {
    try (InputStream in = source instanceof File
        ? Files.newInputStream(((File) source).toPath())
        : (InputStream) source) {
      return (HasMetadata) serialization.unmarshal(in, itemType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Method method(String name, Class<?> type) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static UnsupportedOperationException unsupported(Method method) {
    return new UnsupportedOperationException("the offline Spark reference does not support "
        + method.getDeclaringClass().getSimpleName() + "." + method.getName()
        + Arrays.toString(method.getParameterTypes()));
  }
}
