/**
 * The optional Micrometer binder of the SDK ({@link io.sparkk8s.micrometer.SparkK8sMetrics}). Only
 * this package uses Micrometer; add {@code io.micrometer:micrometer-core} to use it.
 */
package io.sparkk8s.micrometer;
