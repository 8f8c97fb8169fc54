package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.SparkUi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Spark UI of a running job answers on the handle's local URL, forwarded by the SDK to the
 * driver pod; after close the port is shut; after the end the handle points at the History Server.
 */
@RealCluster
class SparkUiE2E {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .build();

  @Test
  void theRunningDriversUiAnswersOnTheLocalUrl(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle pi = spark.submit(SparkJobLifecycleE2E.job(ns, "with-ui")
          .application(SparkJobLifecycleE2E.PI).addArgument("100000")
          .historyServerUrl("https://history.example.com").build());
      assertThatThrownBy(pi::sparkUi).as("not running yet")
          .isInstanceOf(IllegalStateException.class);
      await("running").atMost(Duration.ofMinutes(4))
          .until(() -> pi.state().phase() == JobPhase.RUNNING);
      URI url;
      try (SparkUi ui = pi.sparkUi()) {
        url = ui.url();
        assertThat(ui.live()).isTrue();
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        // The UI starts a moment after the driver container does.
        String body = await("the UI answers").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
            .until(() -> get(url.resolve("api/v1/applications")), b -> b.contains(pi.appId()));
        System.out.println("[E2E] " + url + "api/v1/applications: " + body);
        assertThat(body).contains("\"id\" : \"" + pi.appId() + "\"").contains("\"completed\" : false");
        // A second connection at once, as a browser opens several.
        assertThat(get(url.resolve("api/v1/applications/" + pi.appId() + "/jobs")))
            .startsWith("[");
      }
      // A new client: the shared one may hold a kept-alive connection from before the close.
      HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(url.resolve("api/v1/applications"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .as("the port is closed with the SparkUi").isInstanceOf(ConnectException.class);
      pi.kill();
      pi.awaitCompletion(Duration.ofMinutes(2));
      try (SparkUi after = pi.sparkUi()) {
        assertThat(after.live()).isFalse();
        assertThat(after.url()).hasToString("https://history.example.com/history/" + pi.appId()
            + "/");
      }
    }
  }

  static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(uri + ": HTTP " + r.statusCode());
    }
    return r.body();
  }
}
