package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1PodSpec;
import io.sparkk8s.spec.Executor;
import java.util.Optional;

/**
 * Who executors run as, written into their pod template. Spark builds every executor on the
 * template and keeps its {@code automountServiceAccountToken} and {@code serviceAccount}; only when
 * the template names no account does Spark's {@code ExecutorKubernetesCredentialsFeatureStep} set
 * the executor account, or else the driver's. Executors never call the API in cluster mode, so by
 * default they get no token and the namespace's {@code default} account, never the driver's,
 * which may create and delete pods.
 */
final class ExecutorAccount {
  /** The account every namespace has; it holds no rights unless a cluster admin grants some. */
  static final String NAMESPACE_DEFAULT = "default";

  private ExecutorAccount() {}

  static void apply(V1PodSpec spec, Optional<String> executorServiceAccount, Executor executor) {
    if (executor.mountServiceAccountToken()) {
      // The caller's choice: Spark's own fallback (the executor account, else the driver's).
      return;
    }
    String account = executorServiceAccount.orElse(NAMESPACE_DEFAULT);
    spec.setAutomountServiceAccountToken(false);
    // Spark reads the deprecated field to decide whether the template names an account.
    spec.setServiceAccount(account);
    spec.setServiceAccountName(account);
  }
}
