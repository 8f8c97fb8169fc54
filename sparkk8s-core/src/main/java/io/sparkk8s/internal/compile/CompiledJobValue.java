package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.CompiledJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/** The SDK's {@link CompiledJob}: the compiler's output, handed out as copies. */
final class CompiledJobValue implements CompiledJob {
  private final JobCompiler.Output output;

  CompiledJobValue(JobCompiler.Output output) {
    this.output = output;
  }

  @Override
  public String appId() {
    return output.context().names().appId();
  }

  @Override
  public String namespace() {
    return output.context().job().namespace();
  }

  @Override
  public String driverPodName() {
    return output.context().names().driverPodName();
  }

  @Override
  public String resourcePrefix() {
    return output.context().names().resourcePrefix();
  }

  @Override
  public V1Pod driverPod() {
    return copy(output.driverPod(), V1Pod.class);
  }

  @Override
  public long driverCpuMillis() {
    return requested("cpu", 1000);
  }

  @Override
  public long driverMemoryBytes() {
    return requested("memory", 1);
  }

  private long requested(String resource, int scale) {
    long sum = 0;
    for (var c : output.driverPod().getSpec().getContainers()) {
      if (c.getResources() != null && c.getResources().getRequests() != null
          && c.getResources().getRequests().get(resource) != null) {
        sum += c.getResources().getRequests().get(resource).getNumber()
            .multiply(java.math.BigDecimal.valueOf(scale)).longValue();
      }
    }
    return sum;
  }

  @Override
  public V1Service driverService() {
    return output.resources().stream().filter(V1Service.class::isInstance)
        .map(s -> copy((V1Service) s, V1Service.class)).findFirst().orElseThrow();
  }

  @Override
  public V1ConfigMap configMap() {
    return copy(output.configMap(), V1ConfigMap.class);
  }

  @Override
  public List<KubernetesObject> preResources() {
    List<KubernetesObject> out = new ArrayList<>();
    for (KubernetesObject o : output.preResources()) {
      out.add(copy(o, o.getClass()));
    }
    return out;
  }

  @Override
  public List<KubernetesObject> ownedResources() {
    List<KubernetesObject> out = new ArrayList<>();
    for (KubernetesObject o : output.resources()) {
      out.add(copy(o, o.getClass()));
    }
    return out;
  }

  @Override
  public SortedMap<String, String> sparkProperties() {
    return Collections.unmodifiableSortedMap(output.sparkProperties());
  }

  @Override
  public String toYaml() {
    return ApplyManifest.render(output.preResources(), output.driverPod(), output.resources());
  }

  @Override
  public String toString() {
    return "CompiledJob{" + namespace() + "/" + driverPodName() + ", appId=" + appId() + "}";
  }

  private static <T> T copy(Object o, Class<T> type) {
    return JSON.deserialize(JSON.serialize(o), type);
  }
}
