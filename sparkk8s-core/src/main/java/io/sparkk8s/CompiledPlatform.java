package io.sparkk8s;

import io.kubernetes.client.common.KubernetesObject;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.internal.compile.ShuffleCompiler;
import io.sparkk8s.spec.SparkPlatform;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes objects of a {@link SparkPlatform}, made offline by {@link
 * SparkCompiler#compile(SparkPlatform)}: what {@link SparkKubernetes#deploy} applies, what it
 * creates once and keeps across teardowns, and the services clients reach.
 *
 * <pre>{@code
 * CompiledPlatform compiled = SparkCompiler.compile(platform);
 * compiled.services().forEach(s -> System.out.println(s.kind() + " at " + s.url()));
 * }</pre>
 *
 * <p>Each call of {@code compile} returns objects of its own: changing them changes nothing else.
 */
public final class CompiledPlatform {
  private final List<KubernetesObject> applied;
  private final List<KubernetesObject> createdOnce;
  private final List<Service> services;

  private CompiledPlatform(List<KubernetesObject> applied, List<KubernetesObject> createdOnce,
      List<Service> services) {
    this.applied = applied;
    this.createdOnce = createdOnce;
    this.services = services;
  }

  static CompiledPlatform of(SparkPlatform platform) {
    PlatformCompiler.Output out = PlatformCompiler.compile(platform);
    List<Service> services = new ArrayList<>();
    for (PlatformCompiler.Component c : PlatformCompiler.components(platform)) {
      services.add(new Service(c.name(), PlatformStatus.Kind.ofLabel(c.kind()),
          c.url(platform.namespace())));
    }
    for (ShuffleCompiler.Component c : ShuffleCompiler.components(platform)) {
      services.add(new Service(c.name(), PlatformStatus.Kind.ofLabel(c.kind()),
          c.url(platform.namespace())));
    }
    return new CompiledPlatform(out.applied(), out.createdOnce(), List.copyOf(services));
  }

  /** The objects {@code deploy} applies (server-side), in order: a redeploy updates them. */
  public List<KubernetesObject> applied() {
    return applied;
  }

  /**
   * The objects {@code deploy} creates when missing and never changes: the notebooks' claims, and
   * their Secrets (the token, the Spark authentication key), here without their values ({@code
   * deploy} draws them). A teardown keeps them.
   */
  public List<KubernetesObject> createdOnce() {
    return createdOnce;
  }

  /** The platform's services, in deployment order, as {@link PlatformStatus} lists them. */
  public List<Service> services() {
    return services;
  }

  /**
   * Every object as YAML, for review or {@code kubectl apply -f}: the applied ones, then those
   * created once.
   */
  public String toYaml() {
    List<Object> all = new ArrayList<>(applied);
    all.addAll(createdOnce);
    return Manifests.yaml(all);
  }

  /**
   * A service of the platform.
   *
   * @param name its name in the platform (a notebook's name, {@code history}, {@code
   *     celeborn-master}, ...)
   * @param kind what it is
   * @param url where clients in the cluster reach it
   */
  public record Service(String name, PlatformStatus.Kind kind, String url) {}
}
