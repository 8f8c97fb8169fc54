package io.sparkk8s.internal.kube;

import io.sparkk8s.SparkUi;
import java.net.URI;

/** The History Server's page of an ended job: not live, nothing to close. */
record HistoryUi(URI url) implements SparkUi {

  /**
   * The page of {@code handle}'s application, on the History Server its description or driver pod
   * named; fails when it named none.
   */
  static HistoryUi of(KubeJobHandle handle) {
    String base = handle.historyServer().orElseThrow(() -> new IllegalStateException(
        handle.namespace() + "/" + handle.name() + " has ended and its description names no"
            + " History Server (SparkJob.historyServerUrl)"));
    return new HistoryUi(URI.create((base.endsWith("/") ? base : base + "/") + "history/"
        + handle.appId() + "/"));
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SparkUi{" + url + " (History Server)}";
  }
}
