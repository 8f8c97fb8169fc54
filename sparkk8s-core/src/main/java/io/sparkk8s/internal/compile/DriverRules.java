package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1PolicyRule;
import java.util.List;

/**
 * What a Spark driver does with the API in its own namespace: creates, watches and deletes its
 * executor pods (and labels them when decommissioning, a patch), deletes its executors' ConfigMaps
 * and Services by label when it stops (deletecollection), and makes on-demand claims. The rules of
 * every driver Role the SDK makes, for batch drivers and notebooks' in-pod drivers alike.
 */
public final class DriverRules {
  private DriverRules() {}

  public static List<V1PolicyRule> rules() {
    List<String> managed = List.of("create", "get", "list", "watch", "delete", "deletecollection");
    return List.of(
        new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods"))
            .verbs(List.of("create", "get", "list", "watch", "delete", "deletecollection", "patch")),
        new V1PolicyRule().apiGroups(List.of("")).resources(List.of("services", "configmaps",
            "persistentvolumeclaims")).verbs(managed));
  }
}
