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

  private AlertDefinition monitoringComponentDown() {
    List<String> jobs = monitoringJobs();
    StateAlert alert = new StateAlert("MonitoringComponentDown",
        "up{job=~\"" + String.join("|", jobs) + "\"} == 0", forDown, "critical", "{{ $labels.job }}", new AlertText(
            "Monitoring component {{ $labels.job }} is down",
            "Prometheus could not scrape {{ $labels.job }} at {{ $labels.instance }} for more than " + forDown
                + "; its metrics and the alerts built on them are missing meanwhile.",
            "Run `keiko-mon status` and `keiko-mon logs {{ $labels.job }}`; restart it with `keiko-mon up`."));
    String down = jobs.get(jobs.size() - 1);
    Map<String, String> downLabels = Map.of("job", down, "instance", down + ":9000");
    Map<String, String> upLabels = Map.of("job", ScrapeJob.PROMETHEUS, "instance", "localhost:" + Component.PROMETHEUS.metricsPort());
    Map<String, String> backend = Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE);
    int n = StateAlert.samples(forDown);
    // The good case has the backend down too: that is KeikoBackendDown's business, not this alert's.
    return alert.build(
        List.of(gauge("up", downLabels, "0", n), gauge("up", upLabels, "1", n)), List.of(downLabels),
        List.of(gauge("up", downLabels, "1", n), gauge("up", upLabels, "1", n), gauge("up", backend, "0", n)));
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

  private AlertDefinition healthProbe() {
    String forProbe = config.alerts().healthProbe().forDuration();
    StateAlert alert = new StateAlert("KeikoHealthProbeFailing", "probe_success == 0", forProbe, "warning", "backend",
        new AlertText(
            "Health probe {{ $labels.instance }} fails",
            "The blackbox exporter's probe of {{ $labels.instance }} has failed for more than " + forProbe
                + " (no answer, a non-2xx status or a timeout).",
            "Open the URL yourself; /health/ready fails while a dependency (PostgreSQL, Redis) is unavailable."
                + " `probe?debug=true` on the blackbox exporter shows why."));
    Map<String, String> ready = Map.of("job", ScrapeJob.HEALTH, "instance", "http://" + BACKEND_INSTANCE + "/health/ready");
    Map<String, String> live = Map.of("job", ScrapeJob.HEALTH, "instance", "http://" + BACKEND_INSTANCE + "/health/live");
    int n = StateAlert.samples(forProbe);
    return alert.build(List.of(gauge("probe_success", ready, "0", n), gauge("probe_success", live, "1", n)),
        List.of(ready), List.of(gauge("probe_success", ready, "1", n), gauge("probe_success", live, "1", n)));
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
