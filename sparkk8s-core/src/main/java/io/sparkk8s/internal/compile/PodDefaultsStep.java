package io.sparkk8s.internal.compile;

/**
 * The SDK's additions to the driver pod (see {@link PodHardening}). Not a Spark step: every
 * difference it makes is listed in the conformance allow-list.
 */
public final class PodDefaultsStep implements FeatureStep {
  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    PodHardening.applyToPod(sp.pod().getSpec(), ctx.job());
    PodHardening.applyToContainer(sp.container(), ctx.job());
    return sp;
  }
}
