package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConfinementTest {
  static final SparkJob JOB = AttemptsTest.JOB;
  static final String JOB_ID = SparkCompiler.compile(JOB).appId();
  static final SparkJob HOST_PATH_JOB = SparkJob.builder().from(JOB).name("scratchy")
      .restrictedSecurityContext(false)
      .addVolumes(Volume.hostPath("scratch", "/mnt/scratch", "/scratch")).build();

  /** Attempt n of {@code job} as a record gives it back. */
  static Attempts.Objects stored(SparkJob job, int n) {
    String jobId = SparkCompiler.compile(job).appId();
    V1ConfigMap record = Attempts.record(job, jobId, "p", job.retryPolicy().orElseThrow());
    return Attempts.fromRecord(record, jobId, n).orElseThrow();
  }

  static List<String> problemsAfter(Consumer<Attempts.Objects> change) {
    Attempts.Objects o = stored(JOB, 2);
    change.accept(o);
    return Confinement.problems(o, "jobs", JOB_ID);
  }

  @Test
  void everyAttemptTheSdkWritesPasses() {
    SparkJob gang = JOB.withGangScheduling(GangScheduling.volcano());
    SparkJob hostPath = HOST_PATH_JOB;
    SparkJob sized = SparkJob.builder().from(JOB).name("1st-of-a-very-long-name-that-is-cut-short")
        .serviceAccount("spark").addArguments("1")
        .driver(io.sparkk8s.spec.Driver.builder().memory("512m").coreRequest("100m").build())
        .executor(io.sparkk8s.spec.Executor.builder().instances(2).memory("512m").build())
        .build();
    for (SparkJob job : List.of(JOB, gang, hostPath, sized)) {
      String jobId = SparkCompiler.compile(job).appId();
      for (int n = 1; n <= 3; n++) {
        assertThat(Confinement.problems(stored(job, n), "jobs", jobId))
            .as("attempt %d of %s", n, job.name()).isEmpty();
      }
    }
  }

  @Test
  void anObjectInAnotherNamespaceIsRefused() {
    assertThat(problemsAfter(o -> o.driver().getMetadata().setNamespace("kube-system")))
        .anySatisfy(p -> assertThat(p).contains("kube-system/").contains("not the job's jobs"));
    assertThat(problemsAfter(o -> o.owned().get(0).getMetadata().setNamespace("other")))
        .anySatisfy(p -> assertThat(p).contains("in namespace other"));
    assertThat(problemsAfter(o -> o.driver().getMetadata().setNamespace(null)))
        .isNotEmpty();
  }

  @Test
  void kindsAndNamesTheSdkNeverWritesForAnAttemptAreRefused() {
    String prefix = stored(JOB, 2).driverName().replaceAll("-driver$", "");
    assertThat(problemsAfter(o -> o.owned().add(new V1Secret().apiVersion("v1").kind("Secret")
        .metadata(new V1ObjectMeta().name("registry-creds").namespace("jobs")))))
        .anySatisfy(p -> assertThat(p).contains("Secret jobs/registry-creds"));
    assertThat(problemsAfter(o -> o.owned().add(new V1Secret().apiVersion("v1").kind("Secret")
        .metadata(new V1ObjectMeta().name(prefix + "-token").namespace("jobs")))))
        .as("a Secret named with the attempt's prefix").isEmpty();
    assertThat(problemsAfter(o -> o.owned().add(new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name(prefix + "-second").namespace("jobs")))))
        .anySatisfy(p -> assertThat(p).contains("Pod jobs/" + prefix + "-second"));
    assertThat(problemsAfter(o -> o.pre().add(new V1ConfigMap().apiVersion("v1")
        .kind("ConfigMap").metadata(new V1ObjectMeta().name(prefix + "-x").namespace("jobs")))))
        .anySatisfy(p -> assertThat(p).contains("is not the attempt's PodGroup"));
    assertThat(problemsAfter(o -> o.driver().getMetadata().setName("kube-proxy-abc")))
        .anySatisfy(p -> assertThat(p).contains("not <resource prefix>-driver"));
  }

  @Test
  void anAttemptOfAnotherNumberOrJobIsRefused() {
    Attempts.Objects second = stored(JOB, 2);
    assertThat(Confinement.problems(second, "jobs", "spark-other"))
        .anySatisfy(p -> assertThat(p).contains("is not attempt 2's"));
    Attempts.Objects relabelled = new Attempts.Objects(3, second.appId(), second.pre(),
        second.driver(), second.owned());
    assertThat(Confinement.problems(relabelled, "jobs", JOB_ID)).isNotEmpty();
  }

  @Test
  void aHostPathTheAttemptsPropertiesDoNotDeclareIsRefused() {
    assertThat(problemsAfter(o -> o.driver().getSpec().addVolumesItem(new V1Volume().name("root")
        .hostPath(new V1HostPathVolumeSource().path("/")))))
        .anySatisfy(p -> assertThat(p).contains("hostPath / (volume root)"));
    SparkJob declared = HOST_PATH_JOB;
    Attempts.Objects o = stored(declared, 1);
    o.driver().getSpec().getVolumes().stream().filter(v -> v.getHostPath() != null)
        .forEach(v -> v.getHostPath().setPath("/"));
    assertThat(Confinement.problems(o, "jobs", SparkCompiler.compile(declared).appId()))
        .as("a declared volume pointed elsewhere")
        .anySatisfy(p -> assertThat(p).contains("hostPath / (volume scratch)"));
  }

  @Test
  void hostNamespacesPrivilegeAndOwnersAreRefused() {
    assertThat(problemsAfter(o -> o.driver().getSpec().hostNetwork(true)))
        .anySatisfy(p -> assertThat(p).contains("host namespace"));
    assertThat(problemsAfter(o -> o.driver().getSpec().getContainers().get(0)
        .securityContext(new V1SecurityContext().privileged(true))))
        .anySatisfy(p -> assertThat(p).contains("privileged"));
    assertThat(problemsAfter(o -> o.owned().get(0).getMetadata().setOwnerReferences(
        new ArrayList<>(List.of(new V1OwnerReference().kind("Pod").name("x").uid("u"))))))
        .anySatisfy(p -> assertThat(p).contains("has owners"));
  }
}
