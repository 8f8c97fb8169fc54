package io.sparkk8s.spec;

/** When the kubelet pulls the container image ({@code spark.kubernetes.container.image.pullPolicy}). */
public enum ImagePullPolicy {
  ALWAYS("Always"),
  IF_NOT_PRESENT("IfNotPresent"),
  NEVER("Never");

  private final String value;

  ImagePullPolicy(String value) {
    this.value = value;
  }

  /** The value as Kubernetes spells it, for example {@code IfNotPresent}. */
  public String value() {
    return value;
  }
}
