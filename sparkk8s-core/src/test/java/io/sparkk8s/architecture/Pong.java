package io.sparkk8s.architecture;

/** The other half of the cycle {@link Ping} starts. */
final class Pong {
  Ping ping;
}
