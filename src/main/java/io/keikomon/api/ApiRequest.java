package io.keikomon.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HTTP request to a component, with the action it performs in words ("reload Prometheus configuration"), so a
 * failure can say what keiko-mon was trying to do. {@code path} includes the query string, already encoded.
 */
public record ApiRequest(String action, String method, String path, byte[] body, String contentType) {
  public ApiRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
  }

  public static ApiRequest get(String action, String path) {
    return new ApiRequest(action, "GET", path, null, null);
  }

  public static ApiRequest post(String action, String path) {
    return new ApiRequest(action, "POST", path, null, null);
  }

  public static ApiRequest postJson(String action, String path, String json) {
    return new ApiRequest(action, "POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  public static ApiRequest putJson(String action, String path, String json) {
    return new ApiRequest(action, "PUT", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  public static ApiRequest delete(String action, String path) {
    return new ApiRequest(action, "DELETE", path, null, null);
  }
}
