package io.sparkk8s.internal.kube;

import io.sparkk8s.SparkUi;
import java.net.URI;
import java.util.Optional;

/** The History Server's page of an ended job: not live, nothing to close. */
record HistoryUi(URI url) implements SparkUi {

  /**
   * The page of the application {@code appId} (driver {@code ns/name}), on the History Server its
   * description or driver pod named; fails when it named none.
   */
  static HistoryUi of(String ns, String name, String appId, Optional<String> historyServer) {
    String base = historyServer.orElseThrow(() -> new IllegalStateException(
        ns + "/" + name + " has ended and its description names no History Server"
            + " (SparkJob.historyServerUrl)"));
    return new HistoryUi(URI.create((base.endsWith("/") ? base : base + "/") + "history/"
        + appId + "/"));
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
