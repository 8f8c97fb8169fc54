package io.sparkk8s.internal.compile;

/**
 * The driver's ServiceAccount, as the service-account part of Spark's
 * {@code DriverKubernetesCredentialsFeatureStep} (the SDK never ships client credentials into the
 * pod: the driver authenticates with its ServiceAccount token).
 */
public final class DriverServiceAccountStep implements FeatureStep {
  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    String sa = ctx.conf().get("spark.kubernetes.authenticate.driver.serviceAccountName");
    if (sa != null) {
      sp.pod().getSpec().setServiceAccount(sa);
      sp.pod().getSpec().setServiceAccountName(sa);
    }
    return sp;
  }
}
