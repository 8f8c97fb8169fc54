package io.sparkk8s;

import java.net.URI;

/**
 * A way to the Spark UI of a job: while the driver runs, a local URL forwarded by the SDK to the
 * driver pod's UI port (4040, through the API server, as {@code kubectl port-forward} does); after
 * the job ended, the History Server's page of the application when the job names one. Close it to
 * stop forwarding.
 *
 * <pre>{@code
 * try (SparkUi ui = handle.sparkUi()) {
 *   System.out.println("Spark UI: " + ui.url());   // http://127.0.0.1:41234/
 *   ...
 * }
 * }</pre>
 */
public interface SparkUi extends AutoCloseable {
  /** Where the UI answers. */
  URI url();

  /** Whether {@link #url()} is a local forward to the running driver (else the History Server). */
  boolean live();

  /** Stops forwarding: the local port closes and open connections end. */
  @Override
  void close();
}
