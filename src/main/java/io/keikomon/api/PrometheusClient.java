package io.keikomon.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.keikomon.api.PrometheusModel.Alert;
import io.keikomon.api.PrometheusModel.Alertmanagers;
import io.keikomon.api.PrometheusModel.BuildInfo;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.api.PrometheusModel.Targets;
import io.keikomon.api.PrometheusModel.TsdbStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' management and query API. Reload needs {@code --web.enable-lifecycle}, the snapshot
 * {@code --web.enable-admin-api}; without them Prometheus answers an error status that the exception shows.
 */
public final class PrometheusClient {
  private final JsonApi api;

  public PrometheusClient(ApiTransport transport) {
    this.api = new JsonApi(transport);
  }

  public ApiTransport transport() {
    return api.transport();
  }

  /** {@code /-/healthy}: true on 200, false on 503; other statuses and connection failures throw. */
  public boolean healthy() {
    return api.probe(ApiRequest.get("check Prometheus health", "/-/healthy"));
  }

  /** {@code /-/ready}: false while Prometheus is still starting (503). */
  public boolean ready() {
    return api.probe(ApiRequest.get("check Prometheus readiness", "/-/ready"));
  }

  public BuildInfo buildInfo() {
    return data(ApiRequest.get("read Prometheus build info", "/api/v1/status/buildinfo"), new TypeReference<>() { });
  }

  /** {@code reloadConfigSuccess} and {@code lastConfigTime} tell whether the last reload took effect. */
  public RuntimeInfo runtimeInfo() {
    return data(ApiRequest.get("read Prometheus runtime info", "/api/v1/status/runtimeinfo"),
        new TypeReference<>() { });
  }

  /** {@code POST /-/reload}: Prometheus re-reads its configuration and rule files; an invalid one is not applied. */
  public void reload() {
    api.call(ApiRequest.post("reload Prometheus configuration", "/-/reload"));
  }

  public Targets targets() {
    return data(ApiRequest.get("read Prometheus targets", "/api/v1/targets"), new TypeReference<>() { });
  }

  public List<RuleGroup> rules() {
    Groups g = data(ApiRequest.get("read Prometheus rules", "/api/v1/rules"), new TypeReference<>() { });
    return JsonApi.orEmpty(g.groups());
  }

  /** {@code /api/v1/alerts}: the alerts of all alerting rules, pending and firing. */
  public List<Alert> alerts() {
    AlertList a = data(ApiRequest.get("read Prometheus alerts", "/api/v1/alerts"), new TypeReference<>() { });
    return JsonApi.orEmpty(a.alerts());
  }

  /** An instant query evaluated now. */
  public QueryResult query(String promql) {
    return query(promql, null);
  }

  /** An instant query evaluated at {@code time}, or now when null. */
  public QueryResult query(String promql, Instant time) {
    String at = time == null ? null : epochSeconds(time);
    return run(ApiRequest.get("run Prometheus query `" + promql + "`",
        JsonApi.path("/api/v1/query", "query", promql, "time", at)));
  }

  /** {@code /api/v1/query_range}: the matrix of {@code promql} from {@code start} to {@code end} every {@code step}. */
  public QueryResult queryRange(String promql, Instant start, Instant end, java.time.Duration step) {
    return run(ApiRequest.get("run Prometheus range query `" + promql + "`",
        JsonApi.path("/api/v1/query_range", "query", promql, "start", epochSeconds(start), "end", epochSeconds(end),
            "step", BigDecimal.valueOf(Math.max(1, step.toMillis()), 3).stripTrailingZeros().toPlainString())));
  }

  private QueryResult run(ApiRequest req) {
    ApiResponse r = api.call(req);
    JsonNode data = envelope(req, r);
    String type = data.path("resultType").asText();
    List<Sample> samples = new ArrayList<>();
    JsonNode result = data.path("result");
    switch (type) {
      case "vector" -> result.forEach(s -> samples.add(sample(req, r, s.path("metric"), s.path("value"))));
      case "matrix" -> result.forEach(
          s -> s.path("values").forEach(v -> samples.add(sample(req, r, s.path("metric"), v))));
      case "scalar", "string" -> samples.add(sample(req, r, null, result));
      default -> throw ApiException.badAnswer(req, r, "its resultType is \"" + type + "\"", null);
    }
    return new QueryResult(type, samples);
  }

  /** {@code /api/v1/series}: the label sets of the series matching any of {@code matchers} (at least one). */
  public List<Map<String, String>> series(String... matchers) {
    return data(ApiRequest.get("read Prometheus series " + String.join(", ", matchers),
        JsonApi.path("/api/v1/series", JsonApi.repeated("match[]", matchers))), new TypeReference<>() { });
  }

  /** {@code /api/v1/series} between {@code start} and {@code end} (from the index: cheap even over days). */
  public List<Map<String, String>> series(Instant start, Instant end, String... matchers) {
    String[] params = JsonApi.repeated("match[]", matchers);
    String[] all = java.util.Arrays.copyOf(params, params.length + 4);
    all[params.length] = "start";
    all[params.length + 1] = epochSeconds(start);
    all[params.length + 2] = "end";
    all[params.length + 3] = epochSeconds(end);
    return data(ApiRequest.get("read Prometheus series " + String.join(", ", matchers),
        JsonApi.path("/api/v1/series", all)), new TypeReference<>() { });
  }

  /** {@code /api/v1/labels}: the label names used by the series matching {@code matchers} (all series when none). */
  public List<String> labelNames(String... matchers) {
    return data(ApiRequest.get("read Prometheus label names",
        JsonApi.path("/api/v1/labels", JsonApi.repeated("match[]", matchers))),
        new TypeReference<>() { });
  }

  /** {@code /api/v1/label/<label>/values}, restricted to the series matching {@code matchers} when given. */
  public List<String> labelValues(String label, String... matchers) {
    return data(ApiRequest.get("read Prometheus values of label " + label,
        JsonApi.path("/api/v1/label/" + JsonApi.segment(label) + "/values", JsonApi.repeated("match[]", matchers))),
        new TypeReference<>() { });
  }

  /** Every metric name Prometheus holds. */
  public List<String> metricNames() {
    return labelValues("__name__");
  }

  public Alertmanagers alertmanagers() {
    return data(ApiRequest.get("read Prometheus alertmanagers", "/api/v1/alertmanagers"), new TypeReference<>() { });
  }

  /**
   * {@code POST /api/v1/admin/tsdb/snapshot}: hard-links the TSDB into {@code <data>/snapshots/<name>}, the head
   * block included unless {@code skipHead}. Returns the name.
   */
  public String snapshot(boolean skipHead) {
    Snapshot s = data(ApiRequest.post("take a Prometheus TSDB snapshot",
        JsonApi.path("/api/v1/admin/tsdb/snapshot", "skip_head", String.valueOf(skipHead))), new TypeReference<>() { });
    return s.name();
  }

  public TsdbStatus tsdbStatus() {
    return data(ApiRequest.get("read Prometheus TSDB status", "/api/v1/status/tsdb"), new TypeReference<>() { });
  }

  private <T> T data(ApiRequest req, TypeReference<T> type) {
    ApiResponse r = api.call(req);
    T value = JsonApi.convert(req, r, envelope(req, r), type);
    if (value == null) {
      throw ApiException.badAnswer(req, r, "its data is empty", null);
    }
    return value;
  }

  /** The {@code data} of {@code {"status":"success","data":…}}. */
  private JsonNode envelope(ApiRequest req, ApiResponse r) {
    JsonNode root = api.tree(req, r);
    if (!"success".equals(root.path("status").asText())) {
      throw ApiException.badAnswer(req, r, "its status is not \"success\"", null);
    }
    return root.path("data");
  }

  private static Sample sample(ApiRequest req, ApiResponse r, JsonNode metric, JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2) {
      throw ApiException.badAnswer(req, r, "a sample is not [<time>, \"<value>\"]", null);
    }
    Map<String, String> labels = metric == null ? Map.of()
        : JsonApi.convert(req, r, metric, new TypeReference<Map<String, String>>() { });
    BigDecimal seconds = pair.get(0).decimalValue();
    Instant t = Instant.ofEpochSecond(seconds.longValue(),
        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    return new Sample(labels, t, pair.get(1).asText());
  }

  private static String epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).stripTrailingZeros()
        .toPlainString();
  }

  private record Groups(List<RuleGroup> groups) {
  }

  private record AlertList(List<Alert> alerts) {
  }

  private record Snapshot(String name) {
  }
}
