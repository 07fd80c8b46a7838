package io.keikomon.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small stand-in for Prometheus' HTTP API (docs/querying/api.md, docs/management_api.md) for unit tests that need
 * answers a real Prometheus gives only in awkward states: not ready yet (503), lifecycle API off (403), a query
 * parse error (400 with the error envelope), basic auth from a web config (401 {@code Unauthorized}). It knows the
 * queries {@code 1+1} (a scalar) and {@code up} (a vector over its targets); it has no rules, alerts or
 * Alertmanagers. The real Prometheus is tested in
 * {@code ApiClientsLiveTest}.
 */
public final class PrometheusStandIn extends HttpStandIn {
  private final List<Map<String, Object>> targets = new ArrayList<>();
  private volatile boolean ready = true;
  private volatile boolean lifecycle = true;
  private volatile boolean reloadConfigSuccess = true;
  private final Map<String, Map<String, String>> vectors = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Instant lastConfigTime = Instant.parse("2026-12-01T10:00:00Z");

  public PrometheusStandIn() {
    route("GET", "/-/healthy", r -> Answer.text(200, "Prometheus Server is Healthy.\n"));
    route("GET", "/-/ready", r -> ready ? Answer.text(200, "Prometheus Server is Ready.\n")
        : Answer.text(503, "Service Unavailable"));
    route("POST", "/-/reload", r -> {
      if (!lifecycle) {
        return Answer.text(403, "Lifecycle API is not enabled.");
      }
      lastConfigTime = Instant.now();
      return Answer.text(200, "");
    });
    route("GET", "/api/v1/status/runtimeinfo", r -> success(Map.of("startTime", "2026-12-01T10:00:00Z",
        "reloadConfigSuccess", reloadConfigSuccess, "lastConfigTime", lastConfigTime.toString(), "storageRetention", "15d")));
    route("GET", "/api/v1/targets", r -> success(Map.of("activeTargets", targets, "droppedTargets", List.of())));
    route("GET", "/api/v1/query", r -> query(r.param("query")));
    // No rule file loaded, no alert, no Alertmanager configured: what a Prometheus without rule_files answers.
    route("GET", "/api/v1/rules", r -> success(Map.of("groups", List.of())));
    route("GET", "/api/v1/alerts", r -> success(Map.of("alerts", List.of())));
    route("GET", "/api/v1/alertmanagers", r -> success(Map.of("activeAlertmanagers", List.of(),
        "droppedAlertmanagers", List.of())));
    route("GET", "/api/v1/status/buildinfo", r -> success(Map.of("version", "2.42.0", "revision", "stand-in",
        "branch", "", "buildUser", "", "buildDate", "", "goVersion", "")));
  }

  /** {@code promql} answers a vector of one sample per entry: instance label to value (doctor's exporter gauges). */
  public void setVector(String promql, Map<String, String> valueByInstance) {
    vectors.put(promql, valueByInstance);
  }

  /** Whether the last configuration reload worked ({@code runtimeinfo.reloadConfigSuccess}). */
  public void setReloadConfigSuccess(boolean success) {
    this.reloadConfigSuccess = success;
  }

  public void setReady(boolean ready) {
    this.ready = ready;
  }

  public void setLifecycleEnabled(boolean enabled) {
    this.lifecycle = enabled;
  }

  /** An active target of job {@code job}; {@code lastError} empty for a working one. */
  public void addTarget(String job, String instance, boolean up, String lastError) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("discoveredLabels", Map.of("__address__", instance, "job", job));
    t.put("labels", Map.of("instance", instance, "job", job));
    t.put("scrapePool", job);
    t.put("scrapeUrl", "http://" + instance + "/metrics");
    t.put("globalUrl", "http://" + instance + "/metrics");
    t.put("lastError", lastError);
    t.put("lastScrape", "2026-12-01T10:00:05.123456789Z");
    t.put("lastScrapeDuration", 0.012);
    t.put("health", up ? "up" : "down");
    t.put("scrapeInterval", "15s");
    t.put("scrapeTimeout", "10s");
    targets.add(t);
  }

  @Override
  protected Answer unauthorized(boolean credentialsGiven) {
    return Answer.text(401, "Unauthorized\n");
  }

  private Answer query(String q) {
    double now = Instant.now().toEpochMilli() / 1000.0;
    if ("1+1".equals(q)) {
      return success(Map.of("resultType", "scalar", "result", List.of(now, "2")));
    }
    if (vectors.containsKey(q)) {
      List<Object> result = new ArrayList<>();
      vectors.get(q).forEach((instance, value) -> result.add(
          Map.of("metric", Map.of("instance", instance), "value", List.of(now, value))));
      return success(Map.of("resultType", "vector", "result", result));
    }
    if ("up".equals(q)) {
      List<Object> result = new ArrayList<>();
      for (Map<String, Object> t : targets) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("__name__", "up");
        metric.putAll(castMap(t.get("labels")));
        result.add(Map.of("metric", metric, "value", List.of(now, "up".equals(t.get("health")) ? "1" : "0")));
      }
      return success(Map.of("resultType", "vector", "result", result));
    }
    return Answer.json(400, Map.of("status", "error", "errorType", "bad_data",
        "error", "invalid parameter \"query\": 1:1: parse error: unexpected character in " + q));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static Answer success(Object data) {
    return Answer.json(200, Map.of("status", "success", "data", data));
  }
}
