/**
 * The client side of sparkk8s' storage backends, run on the submitting machine: an
 * {@link io.sparkk8s.storage.client.EventLogReader event log reader}, a
 * {@link io.sparkk8s.storage.client.DependencyStager dependency stager} and
 * {@link io.sparkk8s.storage.client.StorageAccess#check() early checks}.
 *
 * <p>A {@link io.sparkk8s.storage.StorageBackend} says how pods reach storage; in the cluster its
 * credentials live in a Secret. Outside the cluster the caller brings its own
 * {@link io.sparkk8s.storage.client.StorageCredentials}, joined to the backend in a
 * {@link io.sparkk8s.storage.client.StorageAccess}.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    depluralize = true,
    throwForInvalidImmutableState = InvalidDescriptionException.class,
    throwForNullPointer = InvalidDescriptionException.class,
    defaults = @Value.Immutable(copy = true))
package io.sparkk8s.storage.client;

import io.sparkk8s.exception.InvalidDescriptionException;
import org.immutables.value.Value;
