package io.keikomon.content;

import static io.keikomon.content.TestSeries.BACKEND_INSTANCE;
import static io.keikomon.content.TestSeries.counter;
import static io.keikomon.content.TestSeries.decimal;
import static io.keikomon.content.TestSeries.gauge;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.ScrapeJob;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.content.ThresholdAlert.Encoded;
import io.keikomon.content.ThresholdAlert.Scale;
import io.keikomon.content.ThresholdAlert.Scenario;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Alerts on the backend's own metrics: 5xx ratio, p95 latency per route, failed agent registrations. */
final class BackendAlerts {
  private static final String TEST_ROUTE = "/api/chat";

  private final KeikoConfig.Alerts alerts;
  private final BackendLabels l;

  BackendAlerts(KeikoConfig config) {
    this.alerts = config.alerts();
    this.l = config.backend().labels();
  }

  List<AlertDefinition> all() {
    List<AlertDefinition> out = new ArrayList<>();
    if (!ThresholdAlert.levels(alerts.errorRate()).isEmpty()) {
      out.add(errorRate());
    }
    if (!ThresholdAlert.levels(alerts.latencyP95()).isEmpty()) {
      out.add(latency());
    }
    if (!ThresholdAlert.levels(alerts.errorRate()).isEmpty()) {
      out.add(apiErrors());
    }
    if (!ThresholdAlert.levels(alerts.agentRegistrationFailures()).isEmpty()) {
      out.add(agentRegistrationFailures());
    }
    return out;
  }

  private Map<String, String> target() {
    return Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE);
  }

  private Map<String, String> request(String status) {
    Map<String, String> m = new HashMap<>(target());
    m.put(l.method(), "POST");
    m.put(l.route(), TEST_ROUTE);
    m.put(l.status(), status);
    return m;
  }

  private AlertDefinition errorRate() {
    KeikoConfig.Threshold t = alerts.errorRate();
    double floor = t.minRequestRate();
    // 10000 requests a minute, so ratios resolve to 0.01 %.
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long errors = Math.round(v * 10000);
      return new Encoded(List.of(
          counter("http_requests_total", request("200"), Long.toString(10000 - errors), n),
          counter("http_requests_total", request("503"), Long.toString(errors), n)), errors / 10000.0);
    };
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(new Scenario("at zero traffic (the ratio is no data, not NaN)", n -> new Encoded(List.of(
        counter("http_requests_total", request("200"), "0", n),
        counter("http_requests_total", request("503"), "0", n)), Double.NaN), true));
    if (floor > 0) {
      scenarios.add(new Scenario("when every request fails but traffic is just under the floor of "
          + ValueFormat.plain(floor) + "/s", n -> onlyFailures(floor * 0.9, n), true));
      scenarios.add(new Scenario("when every request fails at just above the floor of " + ValueFormat.plain(floor)
          + "/s", n -> onlyFailures(floor * 1.1, n), false));
    }
    return new ThresholdAlert("KeikoHighErrorRate", RecordingRules.ERROR_RATIO + floor(RecordingRules.JOB_REQUESTS, floor),
        t.forDuration(), "backend", ThresholdAlert.levels(t), Scale.RATIO, ValueFormat.PERCENT, 300,
        Map.of("job", ScrapeJob.BACKEND), encoder).build(new AlertText(
            "{{ $labels.job }}: {value} of requests fail with 5xx",
            "{value} of the requests to {{ $labels.job }} were answered with a 5xx status over the last 5 minutes"
                + " (threshold {threshold}, held for {for}; judged from " + ValueFormat.plain(floor)
                + " requests/s on).",
            "Backend dashboard, 'Error ratio per endpoint' shows which routes fail; then the backend's logs,"
                + " recent deploys, and PostgreSQL/Redis health."), scenarios);
  }

  /**
   * api_errors_total per request, a warning at the lowest error_rate threshold with its traffic floor: API
   * errors include ones the client caused, so they ask for a look, not a page.
   */
  private AlertDefinition apiErrors() {
    KeikoConfig.Threshold t = alerts.errorRate();
    double floor = t.minRequestRate();
    List<ThresholdAlert.Level> levels = List.of(new ThresholdAlert.Level("warning", ThresholdAlert.levels(t).get(0).threshold()));
    Map<String, String> errors = new HashMap<>(target());
    errors.put(l.route(), TEST_ROUTE);
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long count = Math.round(v * 10000);
      return new Encoded(List.of(counter("http_requests_total", request("200"), "10000", n),
          counter("api_errors_total", errors, Long.toString(count), n)), count / 10000.0);
    };
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(new Scenario("at zero traffic", n -> new Encoded(List.of(
        counter("http_requests_total", request("200"), "0", n), counter("api_errors_total", errors, "0", n)),
        Double.NaN), true));
    if (floor > 0) {
      String perMinute = decimal(floor * 60 * 0.9, 6);
      scenarios.add(new Scenario("when every request is an API error but traffic is just under the floor of "
          + ValueFormat.plain(floor) + "/s", n -> new Encoded(List.of(
              counter("http_requests_total", request("400"), perMinute, n),
              counter("api_errors_total", errors, perMinute, n)), 1.0), true));
    }
    return new ThresholdAlert("KeikoHighApiErrorRate", RecordingRules.API_ERRORS + " / (" + RecordingRules.JOB_REQUESTS
        + " > 0)" + floor(RecordingRules.JOB_REQUESTS, floor), t.forDuration(), "backend", levels, Scale.RATIO,
        ValueFormat.PERCENT, 300, Map.of("job", ScrapeJob.BACKEND), encoder).build(new AlertText(
            "{{ $labels.job }}: API errors on {value} of requests",
            "api_errors_total grew by {value} of the requests to {{ $labels.job }} over the last 5 minutes"
                + " (threshold {threshold}, held for {for}; judged from " + ValueFormat.plain(floor) + " requests/s on).",
            "Backend dashboard, 'API errors' shows which routes; the backend's logs name the errors."), scenarios);
  }

  /** " > threshold and on (job) <rate> >= floor": the value is only judged with enough traffic. */
  private static String floor(String rate, double floor) {
    return " > " + ThresholdAlert.THRESHOLD + " and on (job) " + rate + " >= " + ValueFormat.plain(floor);
  }

  /** Only 503s, at {@code perSecond} (rounded to a per-minute count with 6 decimals). */
  private Encoded onlyFailures(double perSecond, int n) {
    String perMinute = decimal(perSecond * 60, 6);
    return new Encoded(List.of(counter("http_requests_total", request("503"), perMinute, n)), 1.0);
  }

  private AlertDefinition latency() {
    KeikoConfig.Threshold t = alerts.latencyP95();
    double floor = t.minRequestRate();
    // All observations in one bucket (0, le]: histogram_quantile(0.95) interpolates to exactly 0.95 * le.
    ThresholdAlert.Encoder encoder = (v, n) -> {
      String le = new BigDecimal(v / 0.95).round(new MathContext(9)).stripTrailingZeros().toPlainString();
      return new Encoded(histogram(TEST_ROUTE, Map.of(le, "60", "+Inf", "60"), n), Double.parseDouble(le) * 0.95);
    };
    double highest = ThresholdAlert.levels(t).get(ThresholdAlert.levels(t).size() - 1).threshold();
    String slow = ValueFormat.plain(highest * 2);
    List<Scenario> scenarios = new ArrayList<>();
    // One slow request a minute on one route among 100 fast ones elsewhere: the job's p95 is fast.
    scenarios.add(new Scenario("when one route is slow for 1 request in 100 (p95 over the job)", n -> {
      List<InputSeries> series = new ArrayList<>(histogram(TEST_ROUTE, Map.of("0.05", "0", slow, "1", "+Inf", "1"), n));
      series.addAll(histogram("/api/agents", Map.of("0.05", "100", slow, "100", "+Inf", "100"), n));
      return new Encoded(series, 0.05 * 95.95 / 100);
    }, false));
    scenarios.add(new Scenario("at zero traffic", n -> new Encoded(
        histogram(TEST_ROUTE, Map.of(slow, "0", "+Inf", "0"), n), Double.NaN), true));
    if (floor > 0) {
      String perMinute = decimal(floor * 60 * 0.9, 6);
      scenarios.add(new Scenario("when every request is slow but traffic is just under the floor of "
          + ValueFormat.plain(floor) + "/s", n -> new Encoded(
              histogram(TEST_ROUTE, Map.of(slow, perMinute, "+Inf", perMinute), n), highest * 2 * 0.95), true));
    }
    return new ThresholdAlert("KeikoHighLatencyP95", RecordingRules.JOB_P95
        + floor(RecordingRules.JOB_LATENCY_REQUESTS, floor), t.forDuration(), "backend", ThresholdAlert.levels(t),
        Scale.OPEN, ValueFormat.SECONDS, 300, Map.of("job", ScrapeJob.BACKEND), encoder).build(new AlertText(
            "{{ $labels.job }}: p95 latency {value}",
            "95 % of the requests to {{ $labels.job }} took up to {value} over the last 5 minutes (threshold"
                + " {threshold}, held for {for}; judged from " + ValueFormat.plain(floor) + " requests/s on).",
            "Backend dashboard, 'p95 latency per endpoint' shows which routes are slow; look for slow queries"
                + " (Infrastructure dashboard, PostgreSQL) and CPU saturation."), scenarios);
  }

  /**
   * Bucket and count series of http_request_duration_seconds on {@code route}: {@code perMinute} maps each
   * le to the cumulative observations added per minute (the +Inf one is also the _count).
   */
  private List<InputSeries> histogram(String route, Map<String, String> perMinute, int n) {
    List<InputSeries> series = new ArrayList<>();
    Map<String, String> labels = new HashMap<>(target());
    labels.put(l.method(), "POST");
    labels.put(l.route(), route);
    for (Map.Entry<String, String> bucket : new TreeMap<>(perMinute).entrySet()) {
      Map<String, String> withLe = new HashMap<>(labels);
      withLe.put("le", bucket.getKey());
      series.add(counter("http_request_duration_seconds_bucket", withLe, bucket.getValue(), n));
    }
    series.add(counter("http_request_duration_seconds_count", labels, perMinute.get("+Inf"), n));
    return series;
  }

  private AlertDefinition agentRegistrationFailures() {
    Map<String, String> failed = new HashMap<>(target());
    failed.put(l.operation(), "register");
    failed.put(l.result(), "failure");
    Map<String, String> ok = new HashMap<>(failed);
    ok.put(l.result(), "success");
    // Failures per minute k on a series older than the window: increase over 10m is exactly 10 k.
    ThresholdAlert.Encoder encoder = (v, n) -> {
      String perMinute = decimal(v / 10, 6);
      return new Encoded(List.of(
          counter("agent_operations_total", ok, "30", n),
          counter("agent_operations_total", failed, perMinute, n),
          gauge("up", target(), "1", n)), Double.parseDouble(perMinute) * 10);
    };
    // Step series: minute 0 .. 7 absent (or 0), then the value from minute 8 on.
    IntFunction<InputSeries> ups = n -> gauge("up", target(), "1", n);
    List<Scenario> scenarios = List.of(
        new Scenario("for a single failure on a series that existed before", n -> new Encoded(List.of(
            counter("agent_operations_total", ok, "30", n), ups.apply(n),
            new InputSeries(TestSeries.selector("agent_operations_total", failed), "0x7 1x" + (n - 8))), 1), false),
        new Scenario("for a single failure whose series appears with it (first sample 1)", n -> new Encoded(List.of(
            counter("agent_operations_total", ok, "30", n), ups.apply(n),
            new InputSeries(TestSeries.selector("agent_operations_total", failed), "_x8 1x" + (n - 8))), 1), false),
        new Scenario("when Prometheus has just started and finds old failures (first sample 5)", n -> new Encoded(List.of(
            new InputSeries(TestSeries.selector("up", target()), "_x8 1x" + (n - 8)),
            new InputSeries(TestSeries.selector("agent_operations_total", ok), "_x8 100x" + (n - 8)),
            new InputSeries(TestSeries.selector("agent_operations_total", failed), "_x8 5x" + (n - 8))), 0), true),
        new Scenario("when agents register and none fails", n -> new Encoded(List.of(
            counter("agent_operations_total", ok, "30", n), ups.apply(n)), 0), true));
    KeikoConfig.Threshold t = alerts.agentRegistrationFailures();
    return new ThresholdAlert("KeikoAgentRegistrationFailures",
        "sum by (job) (" + RecordingRules.AGENT_REGISTRATION_FAILURES + ")", t.forDuration(), "backend",
        ThresholdAlert.levels(t), Scale.OPEN, ValueFormat.COUNT, 600, Map.of("job", ScrapeJob.BACKEND), encoder)
        .build(new AlertText(
            "{{ $labels.job }}: agent registrations fail",
            "{value} agent registrations failed on {{ $labels.job }} in the last " + RecordingRules.FAILURE_WINDOW
                + " (agent_operations_total with " + l.operation() + "=\"register\" and " + l.result()
                + " failure or error; threshold {threshold}, held for {for}).",
            "Backend dashboard, 'Agent operations'; the backend's logs for the registration errors."), scenarios);
  }
}
