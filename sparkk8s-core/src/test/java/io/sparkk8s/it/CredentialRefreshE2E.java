package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1BoundObjectReference;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.util.KubeConfig;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ForbiddenException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expiring credentials, as GKE's and PKS's exec plugins hand out, are fetched again: a kubeconfig
 * whose user is an exec plugin gets service-account tokens bound to a Secret; deleting the Secret
 * revokes the token the client started with. A client that never refreshes is then refused; the
 * SDK's client keeps working with the plugin's next token.
 */
@RealCluster
class CredentialRefreshE2E {
  @TempDir Path dir;

  @Test
  void execPluginTokensAreFetchedAgain(ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String n = ns.name();
    core.createNamespacedServiceAccount(n, new V1ServiceAccount().metadata(new V1ObjectMeta().name("refresher"))).execute();
    new RbacAuthorizationV1Api(cluster.client()).createNamespacedRoleBinding(n, new V1RoleBinding()
        .metadata(new V1ObjectMeta().name("refresher-edit"))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("ClusterRole").name("edit"))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name("refresher").namespace(n)))).execute();

    Path tokenFile = dir.resolve("token");
    Path calls = dir.resolve("calls");
    Files.writeString(tokenFile, boundToken(core, n, "bind-1"));
    Path plugin = dir.resolve("plugin.sh");
    Files.writeString(plugin, "#!/bin/sh\necho call >> '" + calls + "'\n"
        + "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        + "\"status\":{\"token\":\"%s\"}}' \"$(cat '" + tokenFile + "')\"\n");
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    Path kubeconfig = execKubeconfig(cluster.kubeconfig(), plugin);

    try (SparkKubernetes refreshing = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty(),
            Duration.ofSeconds(2));
        SparkKubernetes stale = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty(),
            Duration.ofHours(1))) {
      assertThat(refreshing.list(n, "")).isEmpty();
      assertThat(stale.list(n, "")).isEmpty();

      // The plugin now hands out a new token, and the first one is revoked.
      Files.writeString(tokenFile, boundToken(core, n, "bind-2"));
      core.deleteNamespacedSecret("bind-1", n).execute();
      await("the revoked token to be refused").atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(e -> false)
          .until(() -> {
            try {
              stale.list(n, "");
              return false;
            } catch (ForbiddenException refused) {
              return refused.code() == 401;
            }
          });
      assertThatThrownBy(() -> stale.list(n, "")).isInstanceOf(ForbiddenException.class);
      await("the refreshing client to use the new token").atMost(Duration.ofSeconds(30))
          .pollDelay(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(refreshing.list(n, "")).isEmpty());
      long runs = Files.readAllLines(calls).size();
      System.out.println("[E2E] exec plugin ran " + runs + " times");
      assertThat(runs).isGreaterThanOrEqualTo(3);
    }
  }

  /** A service-account token that stops working when Secret {@code secret} is deleted. */
  private static String boundToken(CoreV1Api core, String ns, String secret) throws Exception {
    V1Secret s = core.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name(secret))
        .putStringDataItem("k", "v")).execute();
    return core.createNamespacedServiceAccountToken("refresher", ns, new AuthenticationV1TokenRequest()
        .spec(new V1TokenRequestSpec().audiences(List.of()).expirationSeconds(600L)
            .boundObjectRef(new V1BoundObjectReference().apiVersion("v1").kind("Secret")
                .name(secret).uid(s.getMetadata().getUid())))).execute().getStatus().getToken();
  }

  /** The cluster's server and CA, with an exec plugin as the user. */
  private Path execKubeconfig(Path admin, Path plugin) throws Exception {
    KubeConfig kc;
    try (Reader r = Files.newBufferedReader(admin)) {
      kc = KubeConfig.loadKubeConfig(r);
    }
    kc.setFile(admin.toFile());
    byte[] ca = kc.getDataOrFileRelative(kc.getCertificateAuthorityData(), kc.getCertificateAuthorityFile());
    String yaml = "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        + "clusters:\n- name: k\n  cluster:\n    server: " + kc.getServer() + "\n"
        + "    certificate-authority-data: " + Base64.getEncoder().encodeToString(ca) + "\n"
        + "contexts:\n- name: c\n  context: {cluster: k, user: u}\n"
        + "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
        + "      command: " + plugin + "\n      interactiveMode: Never\n";
    return Files.writeString(dir.resolve("exec.kubeconfig"), yaml);
  }
}
