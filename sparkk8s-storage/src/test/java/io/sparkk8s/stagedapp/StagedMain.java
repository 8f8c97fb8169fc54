package io.sparkk8s.stagedapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JVM application of {@code StagedJobsE2E}, put in a jar on the test's disk and staged from
 * there: it prints the token the test wrote into its jar (so the driver ran the staged bytes),
 * then runs SparkPi, whose tasks make each executor fetch this jar from the bucket
 * ({@code spark.jars}) before it runs them.
 */
public final class StagedMain {
  private StagedMain() {}

  /** Prints the jar's token, then runs SparkPi with {@code args}. */
  public static void main(String[] args) throws Exception {
    try (InputStream in = StagedMain.class.getResourceAsStream("/staged-token.txt")) {
      if (in == null) {
        throw new IOException("no staged-token.txt in the jar");
      }
      System.out.println("STAGED-JVM token=" + new String(in.readAllBytes(),
          StandardCharsets.UTF_8).trim());
    }
    Class.forName("org.apache.spark.examples.SparkPi").getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }
}
