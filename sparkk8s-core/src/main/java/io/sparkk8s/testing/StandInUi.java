package io.sparkk8s.testing;

import io.sparkk8s.SparkUi;
import java.net.URI;

/** The test kit's Spark UI: a URL and whether it is the running driver's; nothing to close. */
record StandInUi(URI url, boolean live) implements SparkUi {
  @Override
  public void close() {}
}
