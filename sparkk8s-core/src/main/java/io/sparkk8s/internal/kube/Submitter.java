package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.List;

/**
 * Submits a job without a retry policy: compiles it and creates its objects in Spark's order
 * (pre-resources, driver, owned objects), idempotently ({@link JobObjects}), resolving a driver of
 * the same name as {@link OnConflict} says, then tracks its handle and starts its start timeout.
 * A job with a retry policy goes through {@link RetriedJobs} instead.
 */
final class Submitter {
  private final JobRuntime runtime;

  Submitter(JobRuntime runtime) {
    this.runtime = runtime;
  }

  SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    // The compiler's own output: fresh objects of this call, so no defensive copies (issue 23).
    JobCompiler.Output compiled = JobCompiler.compile(job);
    String ns = job.namespace();
    String name = compiled.context().names().driverPodName();
    String appId = compiled.context().names().appId();
    JobObjects objects = runtime.objects;
    List<KubernetesObject> pre = compiled.preResources();
    List<KubernetesObject> created = objects.createPre(pre);
    V1Pod driver;
    try {
      driver = objects.createDriver(Retentions.annotate(compiled.driverPod(), job), created);
      runtime.counter.submitted();
    } catch (ConflictException exists) {
      driver = resolve(exists, onConflict, compiled, ns, name, appId, created);
    }
    try {
      objects.adopt(pre, driver);
      objects.createOwned(compiled.resources(), driver);
    } catch (KubernetesApiException e) {
      // As Spark's Client.run: without its Service and ConfigMap the driver cannot start.
      Log.LOG.warn("Creating the objects of {}/{} failed; deleting the driver", ns, name, e);
      runtime.pods.delete(ns, name, false);
      throw e;
    }
    KubeJobHandle handle = runtime.handleFor(ns, name, appId, true);
    handle.historyServerFrom(driver);
    // The watch is asked for once the handle is tracked: a quiet namespace's watch closed
    // meanwhile (Tracker.LINGER) is opened again and finds the handle.
    runtime.tracker.watch(ns).refresh(handle);
    runtime.startTimeout(handle, 1, job.startTimeout());
    return handle;
  }

  /** A driver of this name exists: attach to it, replace it, or refuse, as {@code onConflict} says. */
  private V1Pod resolve(ConflictException exists, OnConflict onConflict,
      JobCompiler.Output compiled, String ns, String name, String appId,
      List<KubernetesObject> created) {
    JobObjects objects = runtime.objects;
    V1Pod existing = runtime.pods.get(ns, name);
    String existingApp = PodFacts.appIdOf(existing);
    if (onConflict == OnConflict.ATTACH && existingApp.equals(appId)) {
      String phase = existing.getStatus() == null ? null : existing.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        Log.LOG.info("Driver {}/{} of app id {} has ended ({}): attaching to that run; submit with"
            + " OnConflict.NEW_RUN to start another", ns, name, existingApp, phase);
      } else {
        Log.LOG.info("Driver {}/{} exists with app id {}: attaching (a retried submit)", ns, name,
            existingApp);
      }
      return existing;
    }
    if (onConflict == OnConflict.REPLACE) {
      // The old job ends DriverDeleted (not Killed: nobody killed it through its handle).
      KubeJobHandle old = runtime.handleFor(ns, name, existingApp, true);
      runtime.pods.delete(ns, name, true);
      runtime.pods.awaitGone(ns, old.appId(), old.name(), Duration.ofMinutes(2));
      // Gone: its handle ends now, whether or not a watch of the namespace saw it go.
      old.observe(JobState.driverDeleted());
      // A PodGroup of the same app id was the old driver's and goes with it: make a fresh one.
      List<KubernetesObject> pre = compiled.preResources();
      objects.deletePre(pre);
      V1Pod driver = objects.createDriver(compiled.driverPod(), objects.createPre(pre));
      runtime.counter.submitted();
      return driver;
    }
    // Not submitted: remove what this call created (a PodGroup found is the other job's).
    objects.deletePre(created);
    throw new ConflictException("submit", "Pod", ns, name, 409, exists.status().orElse(null),
        "a driver of this name exists (app id " + existingApp + ", this job's is "
            + appId + "); use OnConflict.REPLACE or a new appId", exists);
  }
}
