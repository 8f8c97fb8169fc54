package io.sparkk8s.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * Talks to a Jupyter server the way a browser does, through the API server's service proxy (the
 * notebook's Service is not exposed outside the cluster): the REST API for kernels and files, and
 * the kernel's websocket channel for running code (Jupyter's messaging protocol 5.3).
 */
final class JupyterClient {
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final String base;
  private final String token;

  JupyterClient(ApiClient api, String namespace, String serviceAndPort, String token) {
    // The API server's proxy passes no Authorization header on (it authenticated the caller with
    // it) and drops the token parameter of websocket upgrades, so the kernel channel authenticates
    // with Jupyter's login cookie, set when a request carries the token.
    java.util.List<okhttp3.Cookie> jar = new java.util.concurrent.CopyOnWriteArrayList<>();
    this.http = api.getHttpClient().newBuilder().readTimeout(Duration.ofMinutes(5))
        .cookieJar(new okhttp3.CookieJar() {
          @Override
          public void saveFromResponse(okhttp3.HttpUrl url, java.util.List<okhttp3.Cookie> cookies) {
            for (okhttp3.Cookie c : cookies) {
              jar.removeIf(old -> old.name().equals(c.name()));
              jar.add(c);
            }
          }

          @Override
          public java.util.List<okhttp3.Cookie> loadForRequest(okhttp3.HttpUrl url) {
            return jar.stream().filter(c -> c.matches(url)).toList();
          }
        }).build();
    this.base = api.getBasePath() + "/api/v1/namespaces/" + namespace + "/services/"
        + serviceAndPort + "/proxy";
    this.token = token;
  }

  /** What one execution printed, and whether it raised. */
  record Execution(String output, String error) {}

  String startKernel() throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(url("/lab")).build()).execute()) {
      if (!r.isSuccessful()) {
        throw new IOException("GET /lab: " + r.code());
      }
    }
    try (Response r = http.newCall(new Request.Builder().url(url("/api/kernels"))
        .post(RequestBody.create("{\"name\":\"python3\"}", JSON)).build()).execute()) {
      String body = r.body().string();
      if (!r.isSuccessful()) {
        throw new IOException("POST /api/kernels: " + r.code() + " " + body);
      }
      return JsonParser.parseString(body).getAsJsonObject().get("id").getAsString();
    }
  }

  void putTextFile(String path, String content) throws IOException {
    JsonObject model = new JsonObject();
    model.addProperty("type", "file");
    model.addProperty("format", "text");
    model.addProperty("content", content);
    try (Response r = http.newCall(new Request.Builder().url(url("/api/contents/" + path))
        .put(RequestBody.create(model.toString(), JSON)).build()).execute()) {
      if (!r.isSuccessful()) {
        throw new IOException("PUT /api/contents/" + path + ": " + r.code() + " " + r.body().string());
      }
    }
  }

  String getTextFile(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder()
        .url(url("/api/contents/" + path) + "&content=1&format=text&type=file").build()).execute()) {
      String body = r.body().string();
      if (!r.isSuccessful()) {
        throw new IOException("GET /api/contents/" + path + ": " + r.code() + " " + body);
      }
      return JsonParser.parseString(body).getAsJsonObject().get("content").getAsString();
    }
  }

  /** Runs {@code code} in the kernel, as a notebook cell, and returns what it printed. */
  Execution execute(String kernelId, String code, Duration timeout) throws Exception {
    String msgId = UUID.randomUUID().toString();
    StringBuilder out = new StringBuilder();
    StringBuilder error = new StringBuilder();
    CompletableFuture<Void> done = new CompletableFuture<>();
    WebSocket ws = http.newWebSocket(new Request.Builder()
        .url(url("/api/kernels/" + kernelId + "/channels")).build(), new WebSocketListener() {
          @Override
          public void onMessage(WebSocket socket, String text) {
            JsonObject msg = JsonParser.parseString(text).getAsJsonObject();
            JsonObject parent = msg.getAsJsonObject("parent_header");
            if (parent == null || !parent.has("msg_id") || !msgId.equals(parent.get("msg_id").getAsString())) {
              return;
            }
            String type = msg.getAsJsonObject("header").get("msg_type").getAsString();
            JsonObject content = msg.getAsJsonObject("content");
            switch (type) {
              case "stream" -> {
                synchronized (out) {
                  out.append(content.get("text").getAsString());
                }
              }
              case "error" -> {
                synchronized (error) {
                  error.append(content.get("ename").getAsString()).append(": ")
                      .append(content.get("evalue").getAsString());
                }
              }
              case "status" -> {
                if ("idle".equals(content.get("execution_state").getAsString())) {
                  done.complete(null);
                }
              }
              default -> { }
            }
          }

          @Override
          public void onFailure(WebSocket socket, Throwable t, Response response) {
            String detail = "";
            if (response != null) {
              try {
                detail = ": HTTP " + response.code() + " " + response.headers() + " "
                    + (response.body() == null ? "" : response.body().string());
              } catch (IOException | RuntimeException e) {
                detail = ": HTTP " + response.code();
              }
            }
            done.completeExceptionally(new IOException("kernel websocket failed" + detail, t));
          }
        });
    try {
      JsonObject header = new JsonObject();
      header.addProperty("msg_id", msgId);
      header.addProperty("username", "sparkk8s-e2e");
      header.addProperty("session", UUID.randomUUID().toString());
      header.addProperty("msg_type", "execute_request");
      header.addProperty("version", "5.3");
      header.addProperty("date", Instant.now().toString());
      JsonObject content = new JsonObject();
      content.addProperty("code", code);
      content.addProperty("silent", false);
      content.addProperty("store_history", false);
      content.add("user_expressions", new JsonObject());
      content.addProperty("allow_stdin", false);
      content.addProperty("stop_on_error", true);
      JsonObject msg = new JsonObject();
      msg.add("header", header);
      msg.add("parent_header", new JsonObject());
      msg.add("metadata", new JsonObject());
      msg.add("content", content);
      msg.addProperty("channel", "shell");
      msg.add("buffers", new com.google.gson.JsonArray());
      ws.send(msg.toString());
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      ws.close(1000, "done");
    }
    synchronized (out) {
      return new Execution(out.toString(), error.toString());
    }
  }

  private String url(String path) {
    return base + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }
}
