/**
 * Where jobs, the History Server and notebooks keep what must outlive a pod: event logs,
 * notebooks and application dependencies. A {@link io.sparkk8s.storage.StorageBackend} (GCS, S3,
 * HDFS or NFS) compiles to exactly the Spark and Hadoop conf, volumes and Secret mounts a pod needs
 * to read and write it; moving a job between clouds means changing one backend. What a job mounts
 * itself is here too: {@link io.sparkk8s.storage.Volume}, {@link io.sparkk8s.storage.SecretVolume}
 * and {@link io.sparkk8s.storage.SecretEnv}, on the pods {@link io.sparkk8s.storage.MountOn} says.
 *
 * <p>Credentials are always referenced by Secret name and key, never held as values: they reach
 * pods as mounted files or {@code secretKeyRef} variables.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    depluralize = true,
    throwForInvalidImmutableState = InvalidDescriptionException.class,
    throwForNullPointer = InvalidDescriptionException.class,
    // No @Generated on the generated classes: its annotation type is not on a consumer's class
    // path (Immutables is compile-only), which javac -Xlint reports in every consumer.
    allowedClasspathAnnotations = {Override.class},
    defaults = @Value.Immutable(copy = true))
package io.sparkk8s.storage;

import io.sparkk8s.exception.InvalidDescriptionException;
import org.immutables.value.Value;
