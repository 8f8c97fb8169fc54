/**
 * The test kit: unit-test code that launches Spark jobs without a cluster.
 *
 * <p>{@link io.sparkk8s.testing.InMemorySparkKubernetes} is a {@link io.sparkk8s.SparkKubernetes}
 * whose cluster lives in memory; each submitted job is a {@link io.sparkk8s.testing.ScriptedJob}
 * the test moves through its life (pending, running, executors, success or failure, log lines)
 * while the code under test watches it through its {@link io.sparkk8s.SparkJobHandle}.
 *
 * <pre>{@code
 * InMemorySparkKubernetes spark = new InMemorySparkKubernetes();
 * SparkJobHandle handle = new Launcher(spark).start(day);     // your code
 * spark.onlyJob().running().fail(137, "OOMKilled");
 * assertThat(handle.state().reason()).isEqualTo("OOMKilled");
 * }</pre>
 */
package io.sparkk8s.testing;
