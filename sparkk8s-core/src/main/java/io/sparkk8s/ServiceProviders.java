package io.sparkk8s;

import io.sparkk8s.exception.SparkK8sException;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Where the public API finds what implements it ({@link SparkCompiler.Provider}, {@link
 * SparkKubernetes.Provider}): the one implementation sparkk8s-core registers in {@code
 * META-INF/services}, so that no public type imports an internal one.
 */
final class ServiceProviders {
  private ServiceProviders() {}

  /** The first implementation of {@code type} registered on its class loader, if any. */
  static <T> Optional<T> find(Class<T> type) {
    return ServiceLoader.load(type, type.getClassLoader()).findFirst();
  }

  /**
   * The implementation {@link #find} found.
   *
   * @throws SparkK8sException when none is on the class path (a shaded jar without sparkk8s-core's
   *     service file), saying which file is missing
   */
  static <T> T require(Optional<T> found, Class<T> type) {
    return found.orElseThrow(() -> new SparkK8sException("No " + type.getName()
        + " on the class path: sparkk8s-core's META-INF/services/" + type.getName()
        + " is missing. If sparkk8s is shaded into another jar, keep that file (Maven's shade"
        + " plugin copies it unless a filter excludes META-INF/services)."));
  }
}
