package io.sparkk8s;

import io.kubernetes.client.common.KubernetesObject;
import java.util.List;

/**
 * The Kubernetes objects of a {@link io.sparkk8s.spec.SparkPlatform}, made offline by {@link
 * SparkCompiler#compile(io.sparkk8s.spec.SparkPlatform)}: what {@link SparkKubernetes#deploy}
 * applies, what it creates once and keeps across teardowns, and the services clients reach.
 *
 * <pre>{@code
 * CompiledPlatform compiled = SparkCompiler.compile(platform);
 * compiled.services().forEach(s -> System.out.println(s.kind() + " at " + s.url()));
 * }</pre>
 *
 * <p>Each call of {@code compile} returns objects of its own: changing them changes nothing else.
 */
public interface CompiledPlatform {

  /** The objects {@code deploy} applies (server-side), in order: a redeploy updates them. */
  List<KubernetesObject> applied();

  /**
   * The objects {@code deploy} creates when missing and never changes: the notebooks' claims, and
   * their Secrets (the token, the Spark authentication key), here without their values ({@code
   * deploy} draws them). A teardown keeps them.
   */
  List<KubernetesObject> createdOnce();

  /** The platform's services, in deployment order, as {@link PlatformStatus} lists them. */
  List<Service> services();

  /**
   * Every object as YAML, for review or {@code kubectl apply -f}: the applied ones, then those
   * created once.
   */
  String toYaml();

  /**
   * A service of the platform.
   *
   * @param name its name in the platform (a notebook's name, {@code history}, {@code
   *     celeborn-master}, ...)
   * @param kind what it is
   * @param url where clients in the cluster reach it
   */
  record Service(String name, PlatformStatus.Kind kind, String url) {}
}
