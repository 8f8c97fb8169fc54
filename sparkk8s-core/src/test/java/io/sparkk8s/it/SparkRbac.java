package io.sparkk8s.it;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.util.List;

/** The service account Spark's driver runs as, with the rights Spark needs in its own namespace. */
final class SparkRbac {

  static final String SERVICE_ACCOUNT = "spark";

  private SparkRbac() {}

  /** Creates service account {@value #SERVICE_ACCOUNT}, Role {@code spark-driver} and their RoleBinding. */
  static void createDriverServiceAccount(ApiClient client, TestNamespace namespace) throws ApiException {
    String ns = namespace.name();
    new CoreV1Api(client).createNamespacedServiceAccount(ns,
        new V1ServiceAccount().metadata(new V1ObjectMeta().name(SERVICE_ACCOUNT))).execute();
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
    rbac.createNamespacedRole(ns, new V1Role()
        .metadata(new V1ObjectMeta().name("spark-driver"))
        .rules(List.of(
            new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods"))
                .verbs(List.of("create", "get", "list", "watch", "delete", "deletecollection", "patch", "update")),
            new V1PolicyRule().apiGroups(List.of("")).resources(List.of("services", "configmaps", "persistentvolumeclaims"))
                .verbs(List.of("create", "get", "list", "watch", "delete", "deletecollection")))))
        .execute();
    rbac.createNamespacedRoleBinding(ns, new V1RoleBinding()
        .metadata(new V1ObjectMeta().name("spark-driver"))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name("spark-driver"))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name(SERVICE_ACCOUNT).namespace(ns))))
        .execute();
  }
}
