package io.sparkk8s.internal.compile;

import io.sparkk8s.spec.PlatformNames;

/**
 * The name label ({@code app.kubernetes.io/name}) of each kind of platform service: the compiler
 * writes it, and the status read back from the cluster maps it to {@code PlatformStatus.Kind},
 * whose constants are made of these.
 */
public final class KindLabels {
  public static final String JUPYTER = "jupyter";
  public static final String ZEPPELIN = "zeppelin";
  public static final String HISTORY_SERVER = "spark-history-server";
  public static final String CELEBORN_MASTER = PlatformNames.CELEBORN_MASTER;
  public static final String CELEBORN_WORKER = PlatformNames.CELEBORN_WORKER;
  public static final String SHUFFLE_SERVICE = "spark-shuffle-service";

  private KindLabels() {
  }
}
