package io.keikomon.content;

import static io.keikomon.content.TestSeries.BACKEND_INSTANCE;
import static io.keikomon.content.TestSeries.counter;
import static io.keikomon.content.TestSeries.decimal;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.ScrapeJob;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.content.ThresholdAlert.Encoded;
import io.keikomon.content.ThresholdAlert.Scale;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    // 10000 requests a minute, so ratios resolve to 0.01 %.
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long errors = Math.round(v * 10000);
      return new Encoded(List.of(
          counter("http_requests_total", request("200"), Long.toString(10000 - errors), n),
          counter("http_requests_total", request("503"), Long.toString(errors), n)), errors / 10000.0);
    };
    return new ThresholdAlert("KeikoHighErrorRate", RecordingRules.ERROR_RATIO, alerts.errorRate().forDuration(),
        "backend", ThresholdAlert.levels(alerts.errorRate()), Scale.RATIO, ValueFormat.PERCENT, true,
        Map.of("job", ScrapeJob.BACKEND), encoder).build(new AlertText(
            "{{ $labels.job }}: {value} of requests fail with 5xx",
            "{value} of the requests to {{ $labels.job }} were answered with a 5xx status over the last 5 minutes"
                + " (threshold {threshold}, held for {for}).",
            "Backend dashboard, 'Error ratio per endpoint' shows which routes fail; then the backend's logs,"
                + " recent deploys, and PostgreSQL/Redis health."));
  }

  private AlertDefinition latency() {
    // All observations in one bucket (0, le]: histogram_quantile(0.95) interpolates to exactly 0.95 * le.
    ThresholdAlert.Encoder encoder = (v, n) -> {
      String le = new BigDecimal(v / 0.95).round(new MathContext(9)).stripTrailingZeros().toPlainString();
      List<InputSeries> series = new ArrayList<>();
      for (String bound : List.of(le, "+Inf")) {
        Map<String, String> labels = new HashMap<>(target());
        labels.put(l.method(), "POST");
        labels.put(l.route(), TEST_ROUTE);
        labels.put("le", bound);
        series.add(counter("http_request_duration_seconds_bucket", labels, "60", n));
      }
      return new Encoded(series, Double.parseDouble(le) * 0.95);
    };
    Map<String, String> result = new HashMap<>();
    result.put("job", ScrapeJob.BACKEND);
    result.put(l.route(), TEST_ROUTE);
    return new ThresholdAlert("KeikoHighLatencyP95", RecordingRules.ROUTE_P95, alerts.latencyP95().forDuration(),
        "backend", ThresholdAlert.levels(alerts.latencyP95()), Scale.OPEN, ValueFormat.SECONDS, true, result, encoder)
        .build(new AlertText(
            "{{ $labels.job }} {{ $labels." + l.route() + " }}: p95 latency {value}",
            "95 % of the requests to {{ $labels." + l.route() + " }} on {{ $labels.job }} took up to {value} over the"
                + " last 5 minutes (threshold {threshold}, held for {for}).",
            "Backend dashboard, 'p95 latency per endpoint'; look for slow queries (Infrastructure dashboard,"
                + " PostgreSQL) and CPU saturation."));
  }

  private AlertDefinition agentRegistrationFailures() {
    ThresholdAlert.Encoder encoder = (v, n) -> {
      String perMinute = decimal(v * 60, 6);
      Map<String, String> failed = new HashMap<>(target());
      failed.put(l.operation(), "register");
      failed.put(l.result(), "failure");
      Map<String, String> ok = new HashMap<>(failed);
      ok.put(l.result(), "success");
      return new Encoded(List.of(
          counter("agent_operations_total", ok, "30", n),
          counter("agent_operations_total", failed, perMinute, n)), Double.parseDouble(perMinute) / 60);
    };
    return new ThresholdAlert("KeikoAgentRegistrationFailures",
        "sum by (job) (" + RecordingRules.AGENT_REGISTRATION_FAILURES + ")",
        alerts.agentRegistrationFailures().forDuration(), "backend",
        ThresholdAlert.levels(alerts.agentRegistrationFailures()), Scale.OPEN, ValueFormat.PER_SECOND, true,
        Map.of("job", ScrapeJob.BACKEND), encoder).build(new AlertText(
            "{{ $labels.job }}: agent registrations fail",
            "Agents fail to register with {{ $labels.job }} at {value} (agent_operations_total with "
                + l.operation() + "=\"register\" and " + l.result() + " failure or error; threshold {threshold},"
                + " held for {for}).",
            "Backend dashboard, 'Agent operations'; the backend's logs for the registration errors."));
  }
}
