/**
 * What the SDK throws, all unchecked and under {@link io.sparkk8s.exception.SparkK8sException}: a
 * description that cannot be built ({@link io.sparkk8s.exception.InvalidDescriptionException},
 * naming each attribute, value and rule), and a call the API server refused or never answered
 * ({@link io.sparkk8s.exception.KubernetesApiException} and its kinds: not found, conflict,
 * forbidden, unreachable), each saying what happened and what to do.
 *
 * <p>They have a package of their own below every other: the descriptions, their rules and the
 * client all throw them.
 */
package io.sparkk8s.exception;
