package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The local cluster's Spark images are the versions the build checks the SDK against. */
class SparkImagesTest {
  @Test
  void theImagesAreTheDefaultVersionAndThePomsOlderLine() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    assertThat(SparkImages.versions()).containsExactly(property(pom, "spark4.version"),
        property(pom, "spark35.version"));
    assertThat(SparkImages.value("SPARK_VERSION")).isEqualTo(SparkImages.versions().get(0));
    assertThat(io.sparkk8s.spec.SparkJob.builder().name("x").namespace("ns")
        .application(SparkJobLifecycleE2E.PI).build().sparkVersion())
        .as("the SDK's default Spark version has an image").isEqualTo(SparkImages.versions().get(0));
  }

  /**
   * The connectors in the default image are those the storage client is tested with: the Hadoop
   * of the default Spark, the AWS SDK modules the storage module uses, the Cloud Storage connector
   * jobs get by default.
   */
  @Test
  void theDefaultImagesConnectorsAreTheVersionsTheStorageClientIsTestedWith() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    String connectors = Files.readString(Path.of("..", "scripts", "local-k8s", "images",
        "connectors", "spark-" + SparkImages.versions().get(0) + ".xml"));
    assertThat(property(connectors, "hadoop.version")).isEqualTo(property(pom,
        "storage.hadoop.version"));
    assertThat(property(connectors, "aws-sdk-v2.version")).isEqualTo(property(pom,
        "aws-sdk-v2.version"));
    assertThat(property(connectors, "gcs-connector.version")).isEqualTo(property(pom,
        "gcs-connector.version")).isEqualTo(io.sparkk8s.storage.GcsStorage.DEFAULT_CONNECTOR_VERSION);
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("%s in the root pom", name).isTrue();
    return m.group(1);
  }
}
