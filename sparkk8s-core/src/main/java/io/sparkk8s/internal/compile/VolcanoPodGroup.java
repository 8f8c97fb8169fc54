package io.sparkk8s.internal.compile;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Volcano {@code scheduling.volcano.sh/v1beta1} PodGroup, typed with the fields Spark's
 * {@code VolcanoFeatureStep} and its PodGroup template set ({@code minMember},
 * {@code minResources}, {@code queue}, {@code priorityClassName}). client-java has no model for
 * Volcano's CRDs; this one serializes through client-java's {@code JSON} like its own models.
 */
public final class VolcanoPodGroup implements KubernetesObject {
  public static final String API_VERSION = "scheduling.volcano.sh/v1beta1";
  public static final String KIND = "PodGroup";

  @SerializedName("apiVersion")
  private String apiVersion = API_VERSION;
  @SerializedName("kind")
  private String kind = KIND;
  @SerializedName("metadata")
  private V1ObjectMeta metadata = new V1ObjectMeta();
  @SerializedName("spec")
  private Spec spec = new Spec();

  /** The PodGroup's spec. */
  public static final class Spec {
    @SerializedName("minMember")
    private Integer minMember;
    @SerializedName("minResources")
    private Map<String, Quantity> minResources;
    @SerializedName("queue")
    private String queue;
    @SerializedName("priorityClassName")
    private String priorityClassName;

    public Integer getMinMember() {
      return minMember;
    }

    public Spec minMember(Integer minMember) {
      this.minMember = minMember;
      return this;
    }

    public Map<String, Quantity> getMinResources() {
      return minResources;
    }

    public Spec putMinResourcesItem(String name, Quantity q) {
      if (minResources == null) {
        minResources = new TreeMap<>();
      }
      minResources.put(name, q);
      return this;
    }

    public String getQueue() {
      return queue;
    }

    public Spec queue(String queue) {
      this.queue = queue;
      return this;
    }

    public String getPriorityClassName() {
      return priorityClassName;
    }

    public Spec priorityClassName(String priorityClassName) {
      this.priorityClassName = priorityClassName;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s && Objects.equals(minMember, s.minMember)
          && Objects.equals(minResources, s.minResources) && Objects.equals(queue, s.queue)
          && Objects.equals(priorityClassName, s.priorityClassName);
    }

    @Override
    public int hashCode() {
      return Objects.hash(minMember, minResources, queue, priorityClassName);
    }
  }

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  public VolcanoPodGroup metadata(V1ObjectMeta metadata) {
    this.metadata = metadata;
    return this;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  public Spec getSpec() {
    return spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolcanoPodGroup p && Objects.equals(apiVersion, p.apiVersion)
        && Objects.equals(kind, p.kind) && Objects.equals(metadata, p.metadata)
        && Objects.equals(spec, p.spec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiVersion, kind, metadata, spec);
  }
}
