package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ConflictException;
import java.util.List;

/**
 * A driver's service account with the least Role a driver needs
 * ({@link io.sparkk8s.internal.compile.DriverRules}), bound to it; every call through
 * {@link ApiRetry}. A Role someone widened is put back to the least rules.
 */
final class DriverAccounts {
  static final String DRIVER_ROLE = "spark-driver";
  private final CoreV1Api core;
  private final RbacAuthorizationV1Api rbac;
  private final ApiRetry retry;

  DriverAccounts(ApiClient api, ApiRetry retry) {
    this.core = new CoreV1Api(api);
    this.rbac = new RbacAuthorizationV1Api(api);
    this.retry = retry;
  }

  /** Creates the account, its Role ({@code <name>-spark-driver}) and binding, or keeps them. */
  void ensure(String namespace, String name) {
    V1ObjectMeta meta = new V1ObjectMeta().name(name).namespace(namespace)
        .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s");
    ignoreConflict(() -> retry.call(new ApiErrors.Target("create", "ServiceAccount", namespace, name),
        () -> core.createNamespacedServiceAccount(namespace, new V1ServiceAccount().metadata(meta))
            .execute()));
    String roleName = name + "-" + DRIVER_ROLE;
    V1Role role = new V1Role().metadata(new V1ObjectMeta().name(roleName).namespace(namespace)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"))
        .rules(io.sparkk8s.internal.compile.DriverRules.rules());
    try {
      retry.call(new ApiErrors.Target("create", "Role", namespace, roleName),
          () -> rbac.createNamespacedRole(namespace, role).execute());
    } catch (ConflictException exists) {
      // Keep the rules exactly the least set, even if someone widened them.
      retry.call(new ApiErrors.Target("replace", "Role", namespace, roleName),
          () -> rbac.replaceNamespacedRole(roleName, namespace, role).execute());
    }
    V1RoleBinding binding = new V1RoleBinding()
        .metadata(new V1ObjectMeta().name(roleName).namespace(namespace)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name(roleName))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name(name)
            .namespace(namespace)));
    ignoreConflict(() -> retry.call(new ApiErrors.Target("create", "RoleBinding", namespace,
        roleName), () -> rbac.createNamespacedRoleBinding(namespace, binding).execute()));
  }

  private static void ignoreConflict(Runnable action) {
    try {
      action.run();
    } catch (ConflictException exists) {
      Log.LOG.debug("exists already: {}", exists.getMessage());
    }
  }
}
