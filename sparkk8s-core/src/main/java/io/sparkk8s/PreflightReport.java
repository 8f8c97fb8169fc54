package io.sparkk8s;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SparkKubernetes#preflight(io.sparkk8s.spec.SparkJob)} found before anything was
 * created: every object the job's pods reference that is missing or unusable, all at once, so a
 * job is fixed before it is submitted instead of waiting in {@code Pending} or
 * {@code ContainerCreating}.
 *
 * <pre>
 * Preflight of jobs/nightly-etl-0a1b2c3d4e5f-driver: 2 problems
 *   - Secret db-creds (env DB_PASSWORD of the driver): has no key 'password' (keys: user)
 *   - PersistentVolumeClaim shared-data (volume data of the driver and executors): does not exist
 * </pre>
 *
 * @param namespace the job's namespace
 * @param driverPodName the driver pod the job would create
 * @param problems what would keep the job from starting; empty when none was found
 * @param unchecked what could not be checked and why (for example a read the credentials may not
 *     make); a problem there is not excluded
 */
public record PreflightReport(String namespace, String driverPodName, List<Problem> problems,
    List<String> unchecked) {

  /**
   * One referenced object that is missing or unusable.
   *
   * @param kind the object's kind, such as {@code Secret} or {@code ResourceQuota}
   * @param name the object's name
   * @param usedBy what in the job refers to it, such as "env DB_PASSWORD of the driver"
   * @param problem what is wrong and what to do
   */
  public record Problem(String kind, String name, String usedBy, String problem) {
    /** Checks that no part is null. */
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(usedBy, "usedBy");
      Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
      return kind + " " + name + " (" + usedBy + "): " + problem;
    }
  }

  /** Copies the lists. */
  public PreflightReport {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(driverPodName, "driverPodName");
    problems = List.copyOf(problems);
    unchecked = List.copyOf(unchecked);
  }

  /** Whether no problem was found. */
  public boolean ok() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Preflight of ").append(namespace).append('/')
        .append(driverPodName).append(": ")
        .append(problems.isEmpty() ? "no problems" : problems.size() == 1 ? "1 problem"
            : problems.size() + " problems");
    problems.forEach(p -> sb.append("\n  - ").append(p));
    unchecked.forEach(u -> sb.append("\n  (not checked: ").append(u).append(')'));
    return sb.toString();
  }
}
