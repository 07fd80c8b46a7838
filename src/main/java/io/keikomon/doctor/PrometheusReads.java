package io.keikomon.doctor;

import io.keikomon.core.Async;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Alert;
import io.keikomon.api.PrometheusModel.Alertmanagers;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Targets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The Prometheus reads every walk makes, all sent at once when Prometheus has answered instead of one after the
 * other: each is a round trip, and together they were most of doctor's time. A read is taken when the chain gets to it; a failure
 * surfaces then, as the same exception the client threw (so a step that cannot be read behaves as before).
 */
final class PrometheusReads {
  /** The exporter gauges the metrics chain reads for each up target. */
  static final List<String> GAUGES = List.of("pg_up", "redis_up", "probe_http_status_code", "probe_success");
  /** Prometheus' side of alert delivery. */
  static final String NOTIFICATION_ERRORS =
      "sum by (alertmanager) (increase(prometheus_notifications_errors_total[10m])) > 0";

  private final CompletableFuture<RuntimeInfo> runtimeInfo;
  private final CompletableFuture<Targets> targets;
  private final CompletableFuture<List<RuleGroup>> rules;
  private final CompletableFuture<List<Alert>> alerts;
  private final CompletableFuture<Alertmanagers> alertmanagers;
  private final Map<String, CompletableFuture<QueryResult>> queries = new LinkedHashMap<>();

  PrometheusReads(PrometheusClient prometheus, boolean alertsWanted, Executor executor) {
    runtimeInfo = read(prometheus::runtimeInfo, executor);
    targets = read(prometheus::targets, executor);
    rules = read(prometheus::rules, executor);
    for (String q : GAUGES) {
      queries.put(q, read(() -> prometheus.query(q), executor));
    }
    alerts = alertsWanted ? read(prometheus::alerts, executor) : null;
    alertmanagers = alertsWanted ? read(prometheus::alertmanagers, executor) : null;
    if (alertsWanted) {
      queries.put(NOTIFICATION_ERRORS, read(() -> prometheus.query(NOTIFICATION_ERRORS), executor));
    }
  }

  RuntimeInfo runtimeInfo() {
    return take(runtimeInfo);
  }

  Targets targets() {
    return take(targets);
  }

  List<RuleGroup> rules() {
    return take(rules);
  }

  List<Alert> alerts() {
    return take(alerts);
  }

  Alertmanagers alertmanagers() {
    return take(alertmanagers);
  }

  /** One of {@link #GAUGES} or {@link #NOTIFICATION_ERRORS}. */
  QueryResult query(String promql) {
    CompletableFuture<QueryResult> f = queries.get(promql);
    if (f == null) {
      throw new IllegalArgumentException("not prefetched: " + promql);
    }
    return take(f);
  }

  private static <T> CompletableFuture<T> read(Supplier<T> call, Executor executor) {
    return CompletableFuture.supplyAsync(call, executor);
  }

  /** The result of {@code f}, or the exception its task threw, as thrown there. */
  static <T> T take(CompletableFuture<T> f) {
    return Async.join(f);
  }
}
