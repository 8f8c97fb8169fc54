package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.DeployOptions;
import io.sparkk8s.DeployResult;
import io.sparkk8s.NotebookCredentials;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A platform with a Zeppelin notebook, a Jupyter notebook, a History Server and a driver account
 * for jobs, judged by the real API server in a namespace that enforces the {@code restricted} Pod
 * Security level: a server-side dry run that is accepted and writes nothing, a deliberately
 * non-restricted variant that admission refuses, then a real deploy whose Zeppelin login Secret
 * holds a drawn password and a shiro.ini with only its hash, and dry runs that tell an unchanged
 * description from a changed one without touching the live objects.
 *
 * <p>Zeppelin itself is not started: {@code apache/zeppelin} is not in the cluster's containerd and
 * cannot be built here (see the platform page), so no pod becomes ready; the test waits for none.
 */
@RealCluster
@Tag("api-server")
class ZeppelinE2E {
  static final String INSTANCE = "app.kubernetes.io/instance=team";

  static SparkPlatform platform(String ns, NotebookEnvironment zeppelin) {
    return SparkPlatform.builder().name("team").namespace(ns)
        .eventLog(EventLog.to(NfsStorage.claim("shared-logs")))
        .serviceAccount("spark-jobs")
        .addNotebook(zeppelin)
        .addNotebook(NotebookEnvironment.jupyter("lab"))
        .historyServer(HistoryServer.readingPlatformEventLog())
        .build();
  }

  @Test
  void aDryRunIsJudgedByTheApiServerWritesNothingAndAdmissionRefusesANonRestrictedPod(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    enforceRestricted(client, ns.name());
    SparkPlatform platform = platform(ns.name(), NotebookEnvironment.zeppelin("zep"));
    PlatformCompiler.Output compiled = PlatformCompiler.compile(platform);
    List<String> every = Stream.concat(compiled.createdOnce().stream(), compiled.applied().stream())
        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();

    List<String> before = inventory(client, ns.name());
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      // Accepted: every object (and the pod of each Deployment) passed validation and admission.
      DeployResult dry = spark.deploy(platform, DeployOptions.dryRun());
      assertThat(dry.dryRun()).isTrue();
      assertThat(dry.created()).containsExactlyInAnyOrderElementsOf(every)
          .contains("Deployment/team-zep", "Secret/team-zep-login", "PersistentVolumeClaim/team-zep-notebooks",
              "Deployment/team-lab", "Deployment/team-history", "ServiceAccount/spark-jobs");
      assertThat(dry.updated()).isEmpty();
      assertThat(dry.deleted()).isEmpty();
      assertThat(inventory(client, ns.name())).as("the namespace after a dry run").isEqualTo(before);
      assertThat(before).noneMatch(o -> o.contains("team-"));
      System.out.printf("[E2E] dry run accepted %d objects and 3 pods in a restricted namespace;"
          + " nothing written%n", dry.created().size());

      // Refused: the same Zeppelin without the restricted security context. Pod Security only
      // warns about a Deployment's template, so it is the dry-run pod that is refused.
      SparkPlatform open = platform(ns.name(),
          NotebookEnvironment.zeppelin("zep").withRestrictedSecurityContext(false));
      assertThatThrownBy(() -> spark.deploy(open, DeployOptions.dryRun()))
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("team-zep-dry-run")
          .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
          .hasMessageContaining("runAsNonRoot");
      assertThat(inventory(client, ns.name())).as("the namespace after a refused dry run").isEqualTo(before);
      System.out.println("[E2E] the non-restricted Zeppelin was refused by Pod Security admission");

      // A real deploy: the login Secret is drawn once, with the password and its hash only.
      DeployResult real = spark.deploy(platform);
      assertThat(real.dryRun()).isFalse();
      assertThat(real.created()).containsExactlyInAnyOrderElementsOf(every);
      V1Secret login = core.readNamespacedSecret("team-zep-login", ns.name()).execute();
      String password = new String(login.getData().get("password"), StandardCharsets.UTF_8);
      String shiro = new String(login.getData().get("shiro.ini"), StandardCharsets.UTF_8);
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(StandardCharsets.UTF_8)));
      assertThat(password).hasSizeGreaterThanOrEqualTo(32);
      assertThat(shiro).contains("admin = " + hash + ", admin").doesNotContain(password);
      NotebookCredentials credentials = spark.notebookCredentials(platform, "zep");
      assertThat(credentials.user()).hasValue("admin");
      assertThat(credentials.secret()).isEqualTo(password);
      for (var cm : core.listNamespacedConfigMap(ns.name()).execute().getItems()) {
        assertThat(String.valueOf(cm.getData())).doesNotContain(password).doesNotContain(hash);
      }
      V1Deployment zep = new AppsV1Api(client).readNamespacedDeployment("team-zep", ns.name()).execute();
      assertThat(Manifest.of(zep)).doesNotContain(password).doesNotContain(hash);

      // Dry runs against what exists: unchanged is unchanged; a change is reported, not written.
      DeployResult same = spark.deploy(platform, DeployOptions.dryRun());
      assertThat(same.noChange()).as("dry run of the deployed description: %s", same).isTrue();
      SparkPlatform bigger = platform(ns.name(),
          NotebookEnvironment.zeppelin("zep").withResources("500m", "4Gi"));
      DeployResult change = spark.deploy(bigger, DeployOptions.dryRun());
      assertThat(change.updated()).containsExactly("Deployment/team-zep");
      assertThat(change.created()).isEmpty();
      V1Deployment after = new AppsV1Api(client).readNamespacedDeployment("team-zep", ns.name()).execute();
      assertThat(after.getMetadata().getResourceVersion()).isEqualTo(zep.getMetadata().getResourceVersion());
      assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
          .getLimits().get("memory").toSuffixedString()).isEqualTo("3Gi");
      SparkPlatform smaller = SparkPlatform.builder().from(platform).notebooks(List.of(
          NotebookEnvironment.zeppelin("zep"))).build();
      DeployResult prune = spark.deploy(smaller, DeployOptions.dryRun());
      assertThat(prune.deleted()).contains("Deployment/team-lab", "Service/team-lab",
          "Secret/team-lab-token");
      assertThat(new AppsV1Api(client).readNamespacedDeployment("team-lab", ns.name()).execute())
          .as("still there after a dry-run prune").isNotNull();
      System.out.printf("[E2E] dry runs on the deployed platform: unchanged %d, a memory change"
          + " updates %s, dropping Jupyter deletes %d objects; nothing written%n",
          same.unchanged().size(), change.updated(), prune.deleted().size());
    } finally {
      try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
        spark.teardownAndDeleteClaims(platform);
      }
    }
  }

  /** What the namespace holds: compared before and after a dry run, which must change none of it. */
  private static List<String> inventory(ApiClient client, String ns) throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
    List<String> found = new ArrayList<>();
    new AppsV1Api(client).listNamespacedDeployment(ns).execute().getItems()
        .forEach(o -> found.add("Deployment/" + o.getMetadata().getName()));
    core.listNamespacedPod(ns).execute().getItems()
        .forEach(o -> found.add("Pod/" + o.getMetadata().getName()));
    core.listNamespacedService(ns).execute().getItems()
        .forEach(o -> found.add("Service/" + o.getMetadata().getName()));
    core.listNamespacedPersistentVolumeClaim(ns).execute().getItems()
        .forEach(o -> found.add("PersistentVolumeClaim/" + o.getMetadata().getName()));
    core.listNamespacedSecret(ns).execute().getItems()
        .forEach(o -> found.add("Secret/" + o.getMetadata().getName()));
    core.listNamespacedConfigMap(ns).execute().getItems().stream()
        .filter(o -> !o.getMetadata().getName().equals("kube-root-ca.crt"))
        .forEach(o -> found.add("ConfigMap/" + o.getMetadata().getName()));
    core.listNamespacedServiceAccount(ns).execute().getItems().stream()
        .filter(o -> !o.getMetadata().getName().equals("default"))
        .forEach(o -> found.add("ServiceAccount/" + o.getMetadata().getName()));
    rbac.listNamespacedRole(ns).execute().getItems()
        .forEach(o -> found.add("Role/" + o.getMetadata().getName()));
    rbac.listNamespacedRoleBinding(ns).execute().getItems()
        .forEach(o -> found.add("RoleBinding/" + o.getMetadata().getName()));
    return found;
  }

  private static void enforceRestricted(ApiClient client, String ns) throws Exception {
    String patch = "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"restricted\","
        + "\"pod-security.kubernetes.io/enforce-version\":\"latest\"}}}";
    CoreV1Api core = new CoreV1Api(client);
    PatchUtils.patch(V1Namespace.class,
        () -> core.patchNamespace(ns, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }

  /** An object as the text a reader would search. */
  private static final class Manifest {
    static String of(Object o) {
      return io.kubernetes.client.openapi.JSON.serialize(o);
    }
  }
}
