package io.sparkk8s.internal.compile;

import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;

/** Shared test input: a minimal job, and one step applied to the initial pod. */
final class Jobs {
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  private Jobs() {}

  static SparkJob.Builder pi() {
    return SparkJob.builder().name("pi").namespace("jobs").application(PI).sparkUser("ana");
  }

  static SparkPod apply(FeatureStep step, SparkJob job) {
    return step.configurePod(SparkPod.initial(), DriverContext.of(job));
  }
}
