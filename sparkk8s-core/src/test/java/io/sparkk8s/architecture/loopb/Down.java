package io.sparkk8s.architecture.loopb;

/** The other half of the cycle {@link io.sparkk8s.architecture.loopa.Up} starts. */
public final class Down {
  io.sparkk8s.architecture.loopa.Up up;
}
