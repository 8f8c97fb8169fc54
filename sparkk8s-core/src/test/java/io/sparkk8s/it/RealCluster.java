package io.sparkk8s.it;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Kubernetes cluster, each test in a namespace of its own.
 *
 * <pre>{@code
 * @RealCluster
 * class SparkPiSubmitE2E {
 *   @Test
 *   void runsSparkPi(ClusterConnection cluster, TestNamespace namespace) { ... }
 * }
 * }</pre>
 *
 * <p>Where the cluster comes from, in order: a kubeconfig named by the system property
 * {@value RealClusterExtension#KUBECONFIG_PROPERTY} or the environment variable
 * {@value RealClusterExtension#KUBECONFIG_ENV}; a throwaway k3s cluster through Testcontainers when a Docker
 * daemon is reachable; the local cluster of {@code scripts/local-k8s/up.sh}. When none can be had the tests
 * are reported as skipped with the reason, never as passed. See {@link RealClusterExtension}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealClusterExtension.class)
public @interface RealCluster {}
