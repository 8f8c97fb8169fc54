package io.sparkk8s.fleet;

import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;

/** What the fleet's unit tests share: clusters of the test kit and numbered jobs. */
final class FleetFixtures {
  static final long GIB = 1L << 30;

  private FleetFixtures() {}

  /** A cluster of {@code nodes} nodes of 64 CPU and 512 GiB each. */
  static InMemorySparkKubernetes cluster(int nodes) {
    return new InMemorySparkKubernetes().nodes(nodes, 64_000, 512 * GIB);
  }

  /** Job {@code job-<i>} in namespace {@code spark}, Spark's default driver (1 CPU, 1408 MiB). */
  static SparkJob job(int i) {
    return SparkJob.builder().name("job-" + i).namespace("spark")
        .application(Application.jvm("org.example.Main", "local:///opt/app.jar")).build();
  }
}
