package io.sparkk8s.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * E2E test program: runs a job on the executors, then holds the driver (with its UI and RPC
 * endpoint up) until a ConfigMap named by the first argument appears in its namespace, then runs a
 * second job on the executors and ends. The second argument bounds the wait in seconds (exit code 3
 * when it passes). The driver watches for the ConfigMap with its own ServiceAccount, as Spark's
 * driver reads the API server, so a test decides when the run goes on instead of racing a timer.
 */
public final class HoldUntilReleased {
  private HoldUntilReleased() {}

  public static void main(String[] args) {
    String release = args[0];
    long seconds = Long.parseLong(args[1]);
    SparkSession spark = SparkSession.builder().getOrCreate();
    long before = spark.range(0, 1000, 1, 4).count();
    String namespace = spark.conf().get("spark.kubernetes.namespace");
    System.out.println("HoldUntilReleased: counted " + before + "; waiting for ConfigMap " + release);
    try (KubernetesClient kube = new KubernetesClientBuilder().build()) {
      kube.configMaps().inNamespace(namespace).withName(release)
          .waitUntilCondition(Objects::nonNull, seconds, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      System.out.println("HoldUntilReleased: no ConfigMap " + release + " in " + seconds + " s");
      System.exit(3);
    }
    long after = spark.range(0, 1000, 1, 4).count();
    System.out.println("HoldUntilReleased: released; counted " + after + " after the hold");
    spark.stop();
  }
}
