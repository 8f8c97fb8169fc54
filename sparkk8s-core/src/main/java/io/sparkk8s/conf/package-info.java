/**
 * A Spark conf read as Spark reads it: {@link io.sparkk8s.conf.ConfValues} gives a key's value
 * or Spark's default (ports, sizes), {@link io.sparkk8s.conf.PodResources} computes the CPU and
 * memory Spark requests for a driver or executor pod (overheads included), which gang schedulers
 * and capacity checks reserve.
 */
package io.sparkk8s.conf;
