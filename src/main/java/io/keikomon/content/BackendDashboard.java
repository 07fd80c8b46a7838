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
  private static final String RAW_BUCKETS = "http_request_duration_seconds_bucket";
  /** The provisioned Prometheus datasource (grafana/provisioning/datasources/datasources.yml). */
  static final String PROMETHEUS_UID = "prometheus";

  private BackendDashboard() {}

  static Dashboard build(KeikoConfig config) {
    BackendLabels l = config.backend().labels();
    KeikoConfig.Alerts alerts = config.alerts();
    List<ThresholdStep> errorRatio = PanelThresholds.of(alerts.errorRate());
    List<ThresholdStep> latency = PanelThresholds.of(alerts.latencyP95());
    // Exemplars live on the scraped histogram, not on recording rules: the latency graphs read the raw buckets.
    boolean exemplars = config.tracing().enabled();
    String route = l.route();
    String buckets = ROUTE_BUCKETS + F;
    String rawBuckets = "rate(" + RAW_BUCKETS + F + "[$__rate_interval])";
    DashboardLayout d = new DashboardLayout();
    d.row("Overview")
        .panel("stat", "Request rate", "Requests per second, all selected instances.", "reqps", 6, 4,
            Query.of("sum(" + REQUESTS + F + ")", "requests/s"))
        .panel("stat", "Error ratio (5xx)", "Share of responses with a 5xx status over 5 minutes; colours at the"
                + " KeikoHighErrorRate thresholds.", "percentunit", 6, 4,
            Query.of("sum(" + REQUESTS_5XX + F + ") / sum(" + REQUESTS + F + ")", "5xx"))
        .thresholds(errorRatio)
        .panel("stat", "p95 latency", "95th percentile of request duration over 5 minutes; colours at the"
                + " KeikoHighLatencyP95 thresholds.", "s", 6, 4,
            Query.of(quantile("0.95", "le", buckets), "p95"))
        .thresholds(latency)
        .panel("stat", "Active agents", "Agents registered right now (registered_agents_total).", "short", 6, 4,
            Query.of("sum(registered_agents_total" + F + ")", "agents"));
    d.row("Traffic")
        .panel("timeseries", "Request rate", "Requests per second by instance.", "reqps", 12, 8,
            Query.of("sum by (job, instance) (" + REQUESTS + F + ")", "{{job}} {{instance}}"))
        .panel("timeseries", "Error rate", "Share of 5xx responses over 5 minutes; dashed lines at the"
                + " KeikoHighErrorRate thresholds.", "percentunit", 12, 8,
            Query.of("sum by (job) (" + REQUESTS_5XX + F + ") / sum by (job) (" + REQUESTS + F + ")", "{{job}} 5xx"))
        .thresholds(errorRatio)
        .panel("timeseries", "Latency p50 / p95 / p99", "Request duration quantiles over all routes; dashed lines at"
                + " the KeikoHighLatencyP95 thresholds" + (exemplars ? "; the dots are exemplars, each opens its trace"
                + " in Jaeger." : "."), "s", 12, 8,
            Query.of(quantile("0.5", "le", rawBuckets), "p50"),
            Query.of(quantile("0.95", "le", rawBuckets), "p95").exemplar(exemplars),
            Query.of(quantile("0.99", "le", rawBuckets), "p99"))
        .thresholds(latency)
        .panel("timeseries", "API errors", "api_errors_total per second by " + route + ".", "ops", 12, 8,
            Query.of("sum by (job, " + route + ") (rate(api_errors_total" + F + "[$__rate_interval]))",
                "{{" + route + "}}"));
    d.row("Agents")
        .panel("timeseries", "Registered agents", "registered_agents_total by instance.", "short", 8, 8,
            Query.of("sum by (job, instance) (registered_agents_total" + F + ")", "{{instance}}"))
        .panel("timeseries", "Agent operations", "agent_operations_total per second by operation and result.", "ops",
            8, 8, Query.of("sum by (" + l.operation() + ", " + l.result() + ") (" + AGENT_OPERATIONS + F + ")",
                "{{" + l.operation() + "}} {{" + l.result() + "}}"))
        .panel("timeseries", "Agent registration failures", "Failed registrations (" + l.result()
                + " failure or error) in the last 10 minutes; KeikoAgentRegistrationFailures fires above "
                + ValueFormat.plain(warningOrZero(alerts.agentRegistrationFailures())) + ".", "short", 8, 8,
            Query.of("sum by (job) (" + AGENT_REGISTRATION_FAILURES + F + ")", "{{job}}"));
    d.row("Endpoints")
        .panel("timeseries", "Request rate per endpoint", "Requests per second by " + route + ".", "reqps", 8, 8,
            Query.of("sum by (" + route + ") (" + ROUTE_REQUESTS + F + ")", "{{" + route + "}}"))
        .panel("timeseries", "p95 latency per endpoint", "95th percentile of request duration by " + route
                + "; dashed lines at the KeikoHighLatencyP95 thresholds (the alert judges the whole job).", "s", 8, 8,
            Query.of(quantile("0.95", route + ", le", rawBuckets), "{{" + route + "}}").exemplar(exemplars))
        .thresholds(latency)
        .panel("timeseries", "Error ratio per endpoint", "Share of 5xx responses by " + route + "; dashed lines at"
                + " the KeikoHighErrorRate thresholds (the alert judges the whole job).", "percentunit", 8, 8,
            Query.of(perRouteErrorRatio(route), "{{" + route + "}}"))
        .thresholds(errorRatio)
        .panel("table", "Endpoints now", "Rate, p95 latency and 5xx ratio of each " + route + ", merged into one row.",
            "short", 24, 8,
            Query.instant("sum by (" + route + ") (" + ROUTE_REQUESTS + F + ")", "requests/s", "reqps"),
            Query.instant(quantile("0.95", route + ", le", buckets), "p95 latency", "s"),
            Query.instant(perRouteErrorRatio(route), "5xx ratio", "percentunit"));
    if (config.components().blackboxExporter()) {
      // Probe series carry the backend's host:port as instance (and the path), so $instance selects them too.
      String probes = "{job=\"" + ScrapeJob.HEALTH + "\", instance=~\"$instance\"}";
      d.row("Health endpoints")
          .panel("state-timeline", "Health probes", "probe_success of each probed health URL: up, or down (alert"
                  + " KeikoHealthProbeFailing once it lasts " + alerts.healthProbe().forDuration() + ").", "none", 12,
              8, Query.of("probe_success" + probes, "{{instance}}{{path}}"))
          .states(PanelThresholds.UP_DOWN)
          .thresholds(PanelThresholds.upDown())
          .panel("timeseries", "Health probe duration", "How long each health probe took.", "s", 12, 8,
              Query.of("probe_duration_seconds" + probes, "{{instance}}{{path}}"));
    }
    if (!config.customMetrics().isEmpty()) {
      d.row("Custom metrics");
      for (CustomMetric m : config.customMetrics()) {
        customPanels(d, m);
      }
    }
    return new Dashboard(UID, "Backend", List.of(Dashboard.TAG),
        List.of(Variable.prometheusDatasource(PROMETHEUS_UID),
            Variable.query("job", "Job", "label_values(http_requests_total, job)"),
            Variable.query("instance", "Instance", "label_values(http_requests_total{job=~\"$job\"}, instance)")),
        DashboardLink.forConfig(config), d.panels());
  }

  /** The number the registration alert compares with (its warning, else its critical). */
  private static double warningOrZero(KeikoConfig.Threshold t) {
    return t.warning() != null ? t.warning() : t.critical() != null ? t.critical() : 0;
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
