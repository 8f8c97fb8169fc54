package io.sparkk8s.architecture;

/** Half of a two-file import cycle, for {@code ArchitectureTest}'s file rule to find. */
final class Ping {
  Pong pong;
}
