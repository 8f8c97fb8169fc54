package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.sparkk8s.ClientDiagnostics;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A client that lives for months stays bounded (issue 17): after a thousand jobs over fifty
 * namespaces have ended and the caller let go of their handles, the client holds no handle and no
 * namespace watch, and the JVM's thread count is back to what it was before them, all read through
 * the public {@link SparkKubernetes#diagnostics()}.
 */
@RealCluster
class BoundedClientE2E {
  private static final int NAMESPACES = 50;
  private static final int JOBS = 1000;

  @Test
  void aThousandJobsOverFiftyNamespacesLeaveNoHandleWatchOrThreadBehind(ClusterConnection cluster,
      TestNamespace base) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    List<TestNamespace> spaces = new ArrayList<>();
    // The test's own threads all exist before the baseline is taken, so they are not counted as
    // the client's (a pool starts its threads lazily).
    java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
        Executors.newFixedThreadPool(8);
    pool.prestartAllCoreThreads();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      for (int i = 0; i < NAMESPACES; i++) {
        TestNamespace ns = FaultKit.derivedNamespace(base, Integer.toString(i));
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(ns.name())
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s-it"))).execute();
        spaces.add(ns);
        spark.ensureDriverServiceAccount(ns.name(), "spark");
      }
      // The baseline: the client has done one job (its notifier, timers, node watch and HTTP
      // threads exist) and its namespace went quiet.
      spark.ensureDriverServiceAccount(base.name(), "spark");
      runAndEnd(spark, core, pool, List.of(base), 1, "warm");
      awaitQuiet(spark, Duration.ofSeconds(120));
      int baseline = threads();

      long t0 = System.nanoTime();
      int[] peak = runAndEnd(spark, core, pool, spaces, JOBS / NAMESPACES, "bounded");
      int peakWatches = peak[0];
      int peakThreads = peak[1];
      long ranMs = (System.nanoTime() - t0) / 1_000_000;

      long q0 = System.nanoTime();
      ClientDiagnostics after = awaitQuiet(spark, Duration.ofSeconds(120));
      await("threads back to the baseline of " + baseline).atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(2)).until(() -> threads() <= baseline);
      System.out.printf("[bounded] %d jobs over %d namespaces in %d ms; watches at their peak: "
          + "%d; threads: baseline %d, after the jobs %d, back to %d %d ms after the last end; "
          + "diagnostics then: %s%n", JOBS, NAMESPACES, ranMs, peakWatches, baseline, peakThreads,
          threads(), (System.nanoTime() - q0) / 1_000_000, after);
      assertThat(peakWatches).as("the namespaces were watched while their jobs ran")
          .isGreaterThan(1);
      // One thread per watched namespace (client-java's informer took three), plus the client's
      // workers (at most 8) and its HTTP client's threads.
      assertThat(peakThreads - baseline).as("threads added while %d namespaces were watched",
          peakWatches).isLessThanOrEqualTo(peakWatches + 24);
      assertThat(after.trackedJobs()).isZero();
      assertThat(after.endedJobsHeld()).isZero();
      assertThat(after.watches()).isEmpty();
      assertThat(spark.jobCounts().succeeded()).isEqualTo(JOBS + 1);
    } finally {
      pool.shutdownNow();
      for (TestNamespace ns : spaces) {
        FaultKit.forceDeletePods(core, ns.name());
        try {
          core.deleteNamespace(ns.name()).execute();
        } catch (ApiException e) {
          System.err.println("[bounded] could not delete " + ns + ": HTTP " + e.getCode());
        }
      }
      FaultKit.forceDeletePods(core, base.name());
    }
  }

  /**
   * Submits {@code perNamespace} KWOK jobs in each namespace, ends them (exit 0, as a kubelet
   * would write it) and waits for every handle to say so; returns the namespaces watched and the
   * JVM's threads once every job was submitted. The handles are dropped on return.
   */
  private static int[] runAndEnd(SparkKubernetes spark, CoreV1Api core, ExecutorService pool,
      List<TestNamespace> spaces, int perNamespace, String prefix) throws Exception {
    List<Future<SparkJobHandle>> submits = new ArrayList<>();
    for (TestNamespace ns : spaces) {
      for (int j = 0; j < perNamespace; j++) {
        String name = prefix + "-" + j;
        submits.add(pool.submit(() -> spark.submit(FaultKit.kwokJob(ns, name))));
      }
    }
    List<SparkJobHandle> handles = Collections.synchronizedList(new ArrayList<>());
    for (Future<SparkJobHandle> f : submits) {
      handles.add(f.get());
    }
    int[] peak = {spark.diagnostics().watches().size(), threads()};
    assertThat(spark.diagnostics().trackedJobs()).as("every submitted job is tracked")
        .isEqualTo(handles.size());
    List<Future<?>> ends = new ArrayList<>();
    for (SparkJobHandle h : handles) {
      ends.add(pool.submit(() -> {
        FaultKit.setDriver(core, h.namespace(), h.name(), 0);
        return null;
      }));
    }
    for (Future<?> f : ends) {
      f.get();
    }
    await("every job ended").atMost(Duration.ofSeconds(120))
        .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.SUCCEEDED));
    return peak;
  }

  /** Waits until the client holds no handle and no watch (collecting garbage meanwhile). */
  private static ClientDiagnostics awaitQuiet(SparkKubernetes spark, Duration within) {
    ClientDiagnostics[] last = new ClientDiagnostics[1];
    try {
      await("no handle and no watch held").atMost(within).pollInterval(Duration.ofSeconds(2))
          .until(() -> {
            System.gc();
            last[0] = spark.diagnostics();
            return last[0].trackedJobs() == 0 && last[0].endedJobsHeld() == 0
                && last[0].watches().isEmpty();
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the client still holds, " + within + " after the last job "
          + "ended: " + last[0], e);
    }
    return last[0];
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
