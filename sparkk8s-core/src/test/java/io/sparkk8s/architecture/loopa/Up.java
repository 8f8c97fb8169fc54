package io.sparkk8s.architecture.loopa;

/** Half of a two-package import cycle, for {@code ArchitectureTest}'s package rule to find. */
public final class Up {
  io.sparkk8s.architecture.loopb.Down down;
}
