package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.sparkk8s.spec.StorageExpansion;
import java.util.List;
import java.util.Map;

/**
 * The Secret of a key for Spark's own authentication that the client draws, never the compiler: a
 * job's (with {@code sparkAuthentication} and no {@code authenticationSecret}: this step, one per
 * attempt, created with the driver and owned by it) and a notebook's (created once by the platform
 * deployer). Both are compiled without their key, marked with {@link #CREDENTIAL}, so compiling
 * stays a pure function of the description and no record or manifest of the SDK holds a key.
 * {@link StorageExpansion} mounts the Secret and sets the conf that reads it.
 */
public final class SparkAuthStep implements FeatureStep {
  /** The value of {@link PlatformObjects#CREDENTIAL_ANNOTATION} on such a Secret. */
  public static final String CREDENTIAL = "spark-authenticate";

  /** A Secret named {@code name} whose key the client draws when it creates it. */
  public static V1Secret unfilled(String name) {
    return unfilled(new V1ObjectMeta().name(name));
  }

  /** A Secret with {@code meta}, marked so that the client draws its key when it creates it. */
  static V1Secret unfilled(V1ObjectMeta meta) {
    return new V1Secret().apiVersion("v1").kind("Secret").type("Opaque")
        .metadata(meta.putAnnotationsItem(PlatformObjects.CREDENTIAL_ANNOTATION, CREDENTIAL));
  }

  /** Whether {@code o} is such a Secret and has no key yet. */
  public static boolean wantsKey(KubernetesObject o) {
    if (!(o instanceof V1Secret s)) {
      return false;
    }
    Map<String, String> annotations = s.getMetadata().getAnnotations();
    return annotations != null
        && CREDENTIAL.equals(annotations.get(PlatformObjects.CREDENTIAL_ANNOTATION))
        && (s.getData() == null || !s.getData().containsKey(StorageExpansion.AUTH_KEY))
        && (s.getStringData() == null || !s.getStringData().containsKey(StorageExpansion.AUTH_KEY));
  }

  @Override
  public SparkPod configurePod(SparkPod pod, DriverContext ctx) {
    return pod; // StorageExpansion mounts it, as a job's own authenticationSecret
  }

  @Override
  public List<KubernetesObject> additionalResources(DriverContext ctx) {
    if (!ctx.drawsAuthKey()) {
      return List.of();
    }
    V1Secret secret = unfilled(ctx.names().authSecretName()).immutable(true);
    secret.getMetadata().putLabelsItem("spark-app-selector", ctx.names().appId());
    return List.of(secret);
  }
}
