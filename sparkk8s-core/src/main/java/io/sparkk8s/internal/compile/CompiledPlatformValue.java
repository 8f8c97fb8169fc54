package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.sparkk8s.CompiledPlatform;
import io.sparkk8s.spec.SparkPlatform;
import java.util.ArrayList;
import java.util.List;

/** The SDK's {@link CompiledPlatform}: the platform compiler's output and the services it makes. */
record CompiledPlatformValue(List<KubernetesObject> applied, List<KubernetesObject> createdOnce,
    List<Service> services) implements CompiledPlatform {

  static CompiledPlatformValue of(SparkPlatform platform) {
    PlatformCompiler.Output out = PlatformCompiler.compile(platform);
    List<Service> services = new ArrayList<>();
    for (PlatformCompiler.Component c : PlatformCompiler.components(platform)) {
      services.add(new Service(c.name(), c.kind(), c.url(platform.namespace())));
    }
    for (ShuffleCompiler.Component c : ShuffleCompiler.components(platform)) {
      services.add(new Service(c.name(), c.kind(), c.url(platform.namespace())));
    }
    return new CompiledPlatformValue(out.applied(), out.createdOnce(), List.copyOf(services));
  }

  @Override
  public String toYaml() {
    List<Object> all = new ArrayList<>(applied);
    all.addAll(createdOnce);
    return Manifests.yaml(all);
  }
}
