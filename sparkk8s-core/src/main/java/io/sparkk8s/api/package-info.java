/**
 * Calls to the Kubernetes API server as the SDK's client makes them: {@link
 * io.sparkk8s.api.ApiRetry} retries a call an {@link io.sparkk8s.ApiRetryPolicy} allows (throttled,
 * 5xx, unreachable; a create whose answer was lost is settled, not repeated blindly), and {@link
 * io.sparkk8s.api.ApiErrors} turns a failed answer into the SDK's exceptions ({@code
 * io.sparkk8s.exception}), naming the operation and the object. Code that calls the API server
 * beside the client, such as a {@link io.sparkk8s.fleet.RunLedger} of one's own, gets the same
 * behaviour from these ({@link io.sparkk8s.fleet.ConfigMapRunLedger} is built on them).
 */
package io.sparkk8s.api;
