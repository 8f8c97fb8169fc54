package io.sparkk8s.internal.kube;

import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.ApiException;

/** A GET through the API server, answering its JSON body (the client's own {@code send}). */
interface ApiGet {
  JsonElement json(String path) throws ApiException;
}
