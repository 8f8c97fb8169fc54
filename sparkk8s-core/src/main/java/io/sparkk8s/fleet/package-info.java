/**
 * One scheduler, many clusters: a {@link io.sparkk8s.fleet.SparkFleet} places each job on one of
 * several Kubernetes clusters (clouds, regions, on-premises) by a {@link
 * io.sparkk8s.fleet.PlacementPolicy} (required labels, preference, spread, free capacity read from
 * each API server), skips a cluster that does not answer or refuses, adapts the job to the cluster
 * it lands on ({@link io.sparkk8s.fleet.FleetCluster}: image registry, namespace, service account,
 * storage and event logs), and finds jobs across every cluster again. It runs in the caller's
 * process: no server, no operator.
 */
package io.sparkk8s.fleet;
