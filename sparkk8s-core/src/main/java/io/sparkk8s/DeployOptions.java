package io.sparkk8s;

/**
 * How {@link SparkKubernetes#deploy(io.sparkk8s.spec.SparkPlatform, DeployOptions)} deploys: for
 * real, or as a server-side dry run that writes nothing.
 *
 * <pre>{@code
 * DeployResult wouldBe = spark.deploy(platform, DeployOptions.dryRun());   // in CI, before merging
 * System.out.println(wouldBe.created() + " " + wouldBe.updated() + " " + wouldBe.deleted());
 * }</pre>
 */
public final class DeployOptions {
  private static final DeployOptions DEFAULTS = new DeployOptions(false);
  private static final DeployOptions DRY_RUN = new DeployOptions(true);

  private final boolean dryRun;

  private DeployOptions(boolean dryRun) {
    this.dryRun = dryRun;
  }

  /** A real deploy. */
  public static DeployOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A server-side dry run: what a deploy would create, update and delete, with every object
   * validated and admitted by the API server, and nothing written. The pods of the release's
   * Deployments are dry-run too (as the ReplicaSet would create them), because Pod Security
   * admission enforces on pods only: a Deployment whose pods it would refuse is accepted, and its
   * pods then never appear.
   */
  public static DeployOptions dryRun() {
    return DRY_RUN;
  }

  /**
   * Whether every request carries {@code dryRun=All}: the API server validates, defaults and
   * admits each object (schema, RBAC, admission plugins and webhooks, Pod Security) and persists
   * nothing.
   */
  public boolean isDryRun() {
    return dryRun;
  }

  @Override
  public String toString() {
    return dryRun ? "DeployOptions{dryRun}" : "DeployOptions{}";
  }
}
