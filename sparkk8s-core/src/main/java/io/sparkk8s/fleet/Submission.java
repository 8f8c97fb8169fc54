package io.sparkk8s.fleet;

import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.fleet.Placement.Choice;
import io.sparkk8s.spec.SparkJob;
import java.util.Optional;

/**
 * One submit of a run to one cluster, and what it says about the cluster: the handle, or why the
 * cluster is passed over (it did not answer, refused, lacks the namespace, failed). What is about
 * the job rather than the cluster (a conflict, a request the API server rejects as invalid) is
 * thrown.
 */
record Submission(SparkJobHandle handle, Optional<Choice> refused) {

  static Submission to(Member m, String named, SparkJob run, OnConflict onConflict) {
    if (m == null) {
      return refused(named, "the policy named a cluster the fleet lacks");
    }
    try {
      return new Submission(m.cluster.client().submit(ClusterJobs.adapt(m.cluster, run),
          onConflict), Optional.empty());
    } catch (ConflictException e) {
      throw e;
    } catch (ClusterUnreachableException e) {
      m.markDown("did not answer a submit: " + e.getMessage());
      return refused(m.name(), "did not answer: " + e.getMessage());
    } catch (ForbiddenException e) {
      return refused(m.name(), "refused: " + e.getMessage());
    } catch (NotFoundException e) {
      return refused(m.name(), "has no namespace " + m.cluster.namespaceFor(run.namespace())
          + ": " + e.getMessage());
    } catch (KubernetesApiException e) {
      if (e.code() != 429 && e.code() < 500) {
        throw e;
      }
      return refused(m.name(), "failed: " + e.getMessage());
    }
  }

  private static Submission refused(String cluster, String why) {
    return new Submission(null, Optional.of(new Choice(cluster, why)));
  }
}
