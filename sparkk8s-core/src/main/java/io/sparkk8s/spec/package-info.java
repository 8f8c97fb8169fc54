/**
 * Immutable descriptions of what to run: {@link io.sparkk8s.spec.SparkJob} and its parts.
 *
 * <p>Every description is built with a fluent builder ({@code SparkJob.builder()}), validated when
 * {@code build()} is called (an {@link io.sparkk8s.exception.InvalidDescriptionException} lists
 * every broken rule), compared by value, and copied with a change through {@code withX(...)}.
 * What pods mount (volumes, Secrets, variables from Secrets) is in {@link io.sparkk8s.storage}.
 *
 * <p>What a description means to Spark is here too, computed from it and used by both its
 * {@code build()} checks and the compiler: {@link io.sparkk8s.spec.JobNames} (its objects' names),
 * {@link io.sparkk8s.spec.SubmitConf} (the conf {@code spark-submit} would hold),
 * {@link io.sparkk8s.spec.StorageExpansion}, {@link io.sparkk8s.spec.GangConf} and
 * {@link io.sparkk8s.spec.PlatformNames}.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    depluralize = true,
    depluralizeDictionary = {"argument:arguments", "pyFile:pyFiles", "imagePullSecret:imagePullSecrets"},
    throwForInvalidImmutableState = InvalidDescriptionException.class,
    throwForNullPointer = InvalidDescriptionException.class,
    // No @Generated on the generated classes: its annotation type is not on a consumer's class
    // path (Immutables is compile-only), which javac -Xlint reports in every consumer.
    allowedClasspathAnnotations = {Override.class},
    defaults = @Value.Immutable(copy = true))
package io.sparkk8s.spec;

import io.sparkk8s.exception.InvalidDescriptionException;
import org.immutables.value.Value;
