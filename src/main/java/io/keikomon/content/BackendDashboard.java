package io.keikomon.content;

import static io.keikomon.content.RecordingRules.AGENT_OPERATIONS;
import static io.keikomon.content.RecordingRules.AGENT_REGISTRATION_FAILURES;
import static io.keikomon.content.RecordingRules.REQUESTS;
import static io.keikomon.content.RecordingRules.REQUESTS_5XX;
import static io.keikomon.content.RecordingRules.ROUTE_BUCKETS;
import static io.keikomon.content.RecordingRules.ROUTE_REQUESTS;
import static io.keikomon.content.RecordingRules.ROUTE_REQUESTS_5XX;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.config.KeikoConfig.CustomMetric;
import io.keikomon.content.DashboardLayout.Query;
import java.util.List;
import java.util.stream.Stream;

/**
 * Dashboard "Backend": traffic, errors, latency, agents, per-endpoint performance, and generated panels
 * for the custom metrics of keiko.yml. Queries read the recording rules wherever one exists.
 */
final class BackendDashboard {
  static final String UID = "keiko-backend";
  private static final String F = "{job=~\"$job\", instance=~\"$instance\"}";

  private BackendDashboard() {}

  static Dashboard build(KeikoConfig config) {
    BackendLabels l = config.backend().labels();
    String route = l.route();
    String buckets = ROUTE_BUCKETS + F;
    DashboardLayout d = new DashboardLayout();
    d.row("Overview")
        .panel("stat", "Request rate", "Requests per second, all selected instances.", "reqps", 6, 4,
            Query.of("sum(" + REQUESTS + F + ")", "requests/s"))
        .panel("stat", "Error ratio (5xx)", "Share of responses with a 5xx status over 5 minutes.", "percentunit", 6,
            4, Query.of("sum(" + REQUESTS_5XX + F + ") / sum(" + REQUESTS + F + ")", "5xx"))
        .panel("stat", "p95 latency", "95th percentile of request duration over 5 minutes.", "s", 6, 4,
            Query.of(quantile("0.95", "le", buckets), "p95"))
        .panel("stat", "Active agents", "Agents registered right now (registered_agents_total).", "short", 6, 4,
            Query.of("sum(registered_agents_total" + F + ")", "agents"));
    d.row("Traffic")
        .panel("timeseries", "Request rate", "Requests per second by instance.", "reqps", 12, 8,
            Query.of("sum by (job, instance) (" + REQUESTS + F + ")", "{{job}} {{instance}}"))
        .panel("timeseries", "Error rate", "Share of 5xx responses over 5 minutes (alert KeikoHighErrorRate).",
            "percentunit", 12, 8,
            Query.of("sum by (job) (" + REQUESTS_5XX + F + ") / sum by (job) (" + REQUESTS + F + ")", "{{job}} 5xx"))
        .panel("timeseries", "Latency p50 / p95 / p99", "Request duration quantiles over all routes.", "s", 12, 8,
            Query.of(quantile("0.5", "le", buckets), "p50"),
            Query.of(quantile("0.95", "le", buckets), "p95"),
            Query.of(quantile("0.99", "le", buckets), "p99"))
        .panel("timeseries", "API errors", "api_errors_total per second by " + route + ".", "ops", 12, 8,
            Query.of("sum by (job, " + route + ") (rate(api_errors_total" + F + "[$__rate_interval]))",
                "{{" + route + "}}"));
    d.row("Agents")
        .panel("timeseries", "Registered agents", "registered_agents_total by instance.", "short", 8, 8,
            Query.of("sum by (job, instance) (registered_agents_total" + F + ")", "{{instance}}"))
        .panel("timeseries", "Agent operations", "agent_operations_total per second by operation and result.", "ops",
            8, 8, Query.of("sum by (" + l.operation() + ", " + l.result() + ") (" + AGENT_OPERATIONS + F + ")",
                "{{" + l.operation() + "}} {{" + l.result() + "}}"))
        .panel("timeseries", "Agent registration failures", "Registrations per second whose " + l.result()
                + " is failure or error.", "ops", 8, 8,
            Query.of("sum by (job) (" + AGENT_REGISTRATION_FAILURES + F + ")", "{{job}}"));
    d.row("Endpoints")
        .panel("timeseries", "Request rate per endpoint", "Requests per second by " + route + ".", "reqps", 8, 8,
            Query.of("sum by (" + route + ") (" + ROUTE_REQUESTS + F + ")", "{{" + route + "}}"))
        .panel("timeseries", "p95 latency per endpoint", "95th percentile of request duration by " + route + ".", "s",
            8, 8, Query.of(quantile("0.95", route + ", le", buckets), "{{" + route + "}}"))
        .panel("timeseries", "Error ratio per endpoint", "Share of 5xx responses by " + route + ".", "percentunit", 8,
            8, Query.of(perRouteErrorRatio(route), "{{" + route + "}}"))
        .panel("table", "Endpoints now", "Rate, p95 latency and 5xx ratio of each " + route + ", merged into one row.",
            "short", 24, 8,
            Query.instant("sum by (" + route + ") (" + ROUTE_REQUESTS + F + ")", "requests/s"),
            Query.instant(quantile("0.95", route + ", le", buckets), "p95 s"),
            Query.instant(perRouteErrorRatio(route), "5xx ratio"));
    if (config.components().blackboxExporter()) {
      // Probe series carry the probe job and the probed URL as instance, so the job/instance filters of
      // this dashboard (taken from http_requests_total) do not apply to them.
      d.row("Health endpoints")
          .panel("timeseries", "Health probes", "probe_success of each probed health URL: 1 up, 0 failing.",
              "short", 12, 8, Query.of("probe_success", "{{instance}}{{path}}"))
          .panel("timeseries", "Health probe duration", "How long each health probe took.", "s", 12, 8,
              Query.of("probe_duration_seconds", "{{instance}}"));
    }
    if (!config.customMetrics().isEmpty()) {
      d.row("Custom metrics");
      for (CustomMetric m : config.customMetrics()) {
        customPanels(d, m);
      }
    }
    return new Dashboard(UID, "Backend", List.of("keiko"),
        List.of(new Variable("job", "Job", "label_values(http_requests_total, job)"),
            new Variable("instance", "Instance", "label_values(http_requests_total{job=~\"$job\"}, instance)")),
        d.panels());
  }

  private static String quantile(String q, String by, String buckets) {
    return "histogram_quantile(" + q + ", sum by (" + by + ") (" + buckets + "))";
  }

  private static String perRouteErrorRatio(String route) {
    return "sum by (" + route + ") (" + ROUTE_REQUESTS_5XX + F + ") / sum by (" + route + ") (" + ROUTE_REQUESTS + F
        + ")";
  }

  /** Counter: rate; gauge: value; histogram: quantiles and observation rate. Split by the declared labels. */
  private static void customPanels(DashboardLayout d, CustomMetric m) {
    String by = String.join(", ", concat("job", m.labels()));
    String legend = legend(m.labels());
    String help = m.help() == null || m.help().isBlank() ? m.name() : m.help();
    switch (m.type()) {
      case COUNTER -> d.panel("timeseries", m.name(), help + " (per second)", "ops", 12, 8,
          Query.of("sum by (" + by + ") (rate(" + m.name() + F + "[$__rate_interval]))", legend));
      case GAUGE -> d.panel("timeseries", m.name(), help, "short", 12, 8,
          Query.of("sum by (" + by + ") (" + m.name() + F + ")", legend));
      case HISTOGRAM -> {
        String buckets = "rate(" + m.name() + "_bucket" + F + "[$__rate_interval])";
        String unit = m.name().endsWith("_seconds") ? "s" : "short";
        String le = String.join(", ", concat("le", m.labels()));
        d.panel("timeseries", m.name() + " p50 / p95 / p99", help, unit, 12, 8,
            Query.of(quantile("0.5", le, buckets), "p50 " + legend),
            Query.of(quantile("0.95", le, buckets), "p95 " + legend),
            Query.of(quantile("0.99", le, buckets), "p99 " + legend));
        d.panel("timeseries", m.name() + " rate", help + " (observations per second)", "ops", 12, 8,
            Query.of("sum by (" + by + ") (rate(" + m.name() + "_count" + F + "[$__rate_interval]))", legend));
      }
      default -> throw new IllegalStateException("unknown metric type " + m.type());
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    return Stream.concat(Stream.of(first), rest.stream()).toList();
  }

  private static String legend(List<String> labels) {
    if (labels.isEmpty()) {
      return "{{job}}";
    }
    return String.join(" ", labels.stream().map(x -> "{{" + x + "}}").toList());
  }
}
