package io.keikomon.content;

import io.keikomon.core.Component;
import static io.keikomon.content.TestSeries.BACKEND_INSTANCE;
import static io.keikomon.content.TestSeries.gauge;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.ScrapeJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Is everything there: service-down alerts, the health probe, and the Watchdog. */
final class AvailabilityAlerts {
  /** Liveness paths by convention end in /live; they check the process, no dependency. */
  static final String LIVENESS = "path=~\".*/live\"";
  static final String NOT_LIVENESS = "path!~\".*/live\"";

  private final KeikoConfig config;
  private final String forDown;

  AvailabilityAlerts(KeikoConfig config) {
    this.config = config;
    this.forDown = config.alerts().serviceDown().forDuration();
  }

  List<AlertDefinition> all() {
    List<AlertDefinition> out = new ArrayList<>();
    out.add(backendDown());
    if (config.postgres().enabled()) {
      out.add(exporterReportsDown("PostgresDown", "pg_up", "postgres", ScrapeJob.POSTGRES,
          Component.POSTGRES_EXPORTER.metricsAddress(), "PostgreSQL", "the database", "password, pg_hba.conf, sslmode"));
    }
    if (config.redis().enabled()) {
      out.add(exporterReportsDown("RedisDown", "redis_up", "redis", ScrapeJob.REDIS,
          Component.REDIS_EXPORTER.metricsAddress(), "Redis", "the cache", "address, password, bind/protected-mode"));
    }
    out.add(monitoringComponentDown());
    if (config.components().blackboxExporter()) {
      out.add(healthProbe());
    }
    out.add(watchdog());
    return out;
  }

  private AlertDefinition backendDown() {
    StateAlert alert = new StateAlert("KeikoBackendDown", "up{job=\"" + ScrapeJob.BACKEND + "\"} == 0", forDown,
        "critical", "backend", new AlertText(
            "Keiko backend {{ $labels.instance }} is down",
            "Prometheus could not scrape the Keiko backend at {{ $labels.instance }} for more than " + forDown + ".",
            "Is the backend process running and listening? Check its logs and `keiko-mon status`; from Docker the"
                + " host is host.docker.internal."));
    Map<String, String> labels = Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE);
    int n = StateAlert.samples(forDown);
    return alert.build(List.of(gauge("up", labels, "0", n)), List.of(labels), List.of(gauge("up", labels, "1", n)));
  }

  /** The exporter answers but reports that it cannot reach the server ({@code metric} == 0). */
  private AlertDefinition exporterReportsDown(String name, String metric, String service, String job, String instance,
      String what, String role, String suspects) {
    StateAlert alert = new StateAlert(name, metric + " == 0", forDown, "critical", service, new AlertText(
        what + " is down",
        "The " + what + " exporter at {{ $labels.instance }} cannot reach " + what + " (" + metric + " == 0) for more than "
            + forDown + "; the backend has lost " + role + ".",
        "Check that " + what + " runs and accepts the exporter's connection (" + suspects + ");"
            + " the exporter's log names the error."));
    Map<String, String> labels = Map.of("job", job, "instance", instance);
    int n = StateAlert.samples(forDown);
    return alert.build(List.of(gauge(metric, labels, "0", n)), List.of(labels), List.of(gauge(metric, labels, "1", n)));
  }

  /**
   * Critical for the alerting pipeline itself (Prometheus, Alertmanager); warning for the rest: Grafana,
   * Jaeger and the exporters going away loses dashboards, traces or metrics, and pages nobody at night.
   */
  private AlertDefinition monitoringComponentDown() {
    List<String> jobs = monitoringJobs();
    List<String> pipeline = jobs.stream().filter(j -> j.equals(ScrapeJob.PROMETHEUS) || j.equals(ScrapeJob.ALERTMANAGER))
        .toList();
    List<String> others = jobs.stream().filter(j -> !pipeline.contains(j)).toList();
    List<AlertRule> rules = new ArrayList<>();
    List<AlertTestCase> cases = new ArrayList<>();
    for (List<String> group : List.of(pipeline, others)) {
      if (group.isEmpty()) {
        continue;
      }
      String severity = group == pipeline ? "critical" : "warning";
      StateAlert alert = new StateAlert("MonitoringComponentDown",
          "up{job=~\"" + String.join("|", group) + "\"} == 0", forDown, severity, "{{ $labels.job }}", new AlertText(
              "Monitoring component {{ $labels.job }} is down",
              "Prometheus could not scrape {{ $labels.job }} at {{ $labels.instance }} for more than " + forDown
                  + "; its metrics and the alerts built on them are missing meanwhile.",
              "Run `keiko-mon status` and `keiko-mon logs {{ $labels.job }}`; restart it with `keiko-mon up`."));
      String down = group.get(group.size() - 1);
      Map<String, String> downLabels = Map.of("job", down, "instance", down + ":9000");
      Map<String, String> backend = Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE);
      int n = StateAlert.samples(forDown);
      // The good case has the backend down too: that is KeikoBackendDown's business, not this alert's.
      AlertDefinition d = alert.build(List.of(gauge("up", downLabels, "0", n)), List.of(downLabels),
          List.of(gauge("up", downLabels, "1", n), gauge("up", backend, "0", n)));
      rules.addAll(d.rules());
      for (AlertTestCase c : d.cases()) {
        cases.add(new AlertTestCase(c.alertname(), severity + ": " + c.title(), c.inputSeries(), c.evalTime(),
            c.expected()));
      }
    }
    return new AlertDefinition(rules, cases);
  }

  /** The monitoring stack's own scrape jobs that {@code config} enables. */
  private List<String> monitoringJobs() {
    List<String> jobs = new ArrayList<>(List.of(ScrapeJob.PROMETHEUS));
    if (config.components().alertmanager()) {
      jobs.add(ScrapeJob.ALERTMANAGER);
    }
    if (config.components().grafana()) {
      jobs.add(ScrapeJob.GRAFANA);
    }
    if (config.tracing().enabled()) {
      jobs.add(ScrapeJob.JAEGER);
    }
    if (config.components().nodeExporter()) {
      jobs.add(ScrapeJob.NODE);
    }
    if (config.postgres().enabled()) {
      jobs.add(ScrapeJob.POSTGRES);
    }
    if (config.redis().enabled()) {
      jobs.add(ScrapeJob.REDIS);
    }
    if (config.components().blackboxExporter()) {
      jobs.add(ScrapeJob.BLACKBOX);
    }
    return jobs;
  }

  /**
   * A failing liveness endpoint is critical (the process hangs: nothing it serves works); the other
   * paths are warnings (readiness fails while a dependency is down, which has its own critical alert).
   */
  private AlertDefinition healthProbe() {
    String forProbe = config.alerts().healthProbe().forDuration();
    AlertText text = new AlertText(
        "Health probe {{ $labels.instance }}{{ $labels.path }} fails",
        "The blackbox exporter's probe of {{ $labels.path }} on {{ $labels.instance }} has failed for more than "
            + forProbe + " (no answer, a non-2xx status or a timeout).",
        "Open the URL yourself; /health/ready fails while a dependency (PostgreSQL, Redis) is unavailable,"
            + " /health/live only when the process hangs. `probe?debug=true` on the blackbox exporter shows why.");
    Map<String, String> ready = probe("/health/ready");
    Map<String, String> live = probe("/health/live");
    int n = StateAlert.samples(forProbe);
    AlertDefinition liveness = new StateAlert("KeikoHealthProbeFailing", "probe_success{" + LIVENESS + "} == 0",
        forProbe, "critical", "backend", text).build(
            List.of(gauge("probe_success", live, "0", n), gauge("probe_success", ready, "1", n)), List.of(live),
            List.of(gauge("probe_success", live, "1", n), gauge("probe_success", ready, "1", n)));
    AlertDefinition others = new StateAlert("KeikoHealthProbeFailing", "probe_success{" + NOT_LIVENESS + "} == 0",
        forProbe, "warning", "backend", text).build(
            List.of(gauge("probe_success", ready, "0", n), gauge("probe_success", live, "1", n)), List.of(ready),
            List.of(gauge("probe_success", ready, "1", n), gauge("probe_success", live, "1", n)));
    List<AlertRule> rules = new ArrayList<>(liveness.rules());
    rules.addAll(others.rules());
    List<AlertTestCase> cases = new ArrayList<>();
    liveness.cases().forEach(c -> cases.add(new AlertTestCase(c.alertname(), "critical on /health/live: " + c.title(),
        c.inputSeries(), c.evalTime(), c.expected())));
    others.cases().forEach(c -> cases.add(new AlertTestCase(c.alertname(), "warning on /health/ready: " + c.title(),
        c.inputSeries(), c.evalTime(), c.expected())));
    return new AlertDefinition(rules, cases);
  }

  /** A probe series as the health job's relabelling labels it: instance host:port, path the URL's path. */
  private static Map<String, String> probe(String path) {
    return Map.of("job", ScrapeJob.HEALTH, "instance", BACKEND_INSTANCE, "path", path);
  }

  /**
   * Always firing. Alertmanager routes it to its own receiver; if that receiver stops hearing it, the
   * alerting pipeline (Prometheus, rule evaluation, Alertmanager) is broken, which no other alert can say.
   */
  private AlertDefinition watchdog() {
    AlertText text = new AlertText(
        "Watchdog: the alerting pipeline works",
        "This alert always fires. It proves that Prometheus evaluates rules and Alertmanager delivers them;"
            + " its absence at the receiver means the pipeline is broken.",
        "Nothing to do while it arrives. If the dead man's switch stops hearing it, check Prometheus and"
            + " Alertmanager first (`keiko-mon status`).");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("severity", "none");
    labels.put("service", "monitoring");
    AlertRule rule = new AlertRule("Watchdog", "vector(1)", "0s", labels, text.annotations());
    ExpectedAlert expected = new ExpectedAlert(labels, text.annotations());
    return new AlertDefinition(List.of(rule), List.of(
        new AlertTestCase("Watchdog", "fires from the first evaluation", List.of(), "0s", List.of(expected)),
        new AlertTestCase("Watchdog", "still fires an hour later", List.of(), "1h", List.of(expected))));
  }
}
