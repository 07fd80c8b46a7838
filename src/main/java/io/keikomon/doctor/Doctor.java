package io.keikomon.doctor;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.ApiException;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Alertmanagers;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Rule;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.api.PrometheusModel.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the chain behind a symptom on a running stack and says which link broke. Each step runs only when the one
 * before it could be read (an unreachable Prometheus is one finding, not twenty).
 */
public final class Doctor {
  private final PrometheusClient prometheus;
  private final Optional<AlertmanagerClient> alertmanager;
  private final TargetDiagnosis targets;

  /**
   * @param alertmanager empty when the stack publishes none
   * @param prometheusInContainer true for the stack (Prometheus in its container), false for one on the host
   */
  public Doctor(PrometheusClient prometheus, Optional<AlertmanagerClient> alertmanager,
      boolean prometheusInContainer) {
    this.prometheus = prometheus;
    this.alertmanager = alertmanager;
    this.targets = new TargetDiagnosis(prometheusInContainer);
  }

  /** The findings for {@code symptoms} (all when empty), most causal first within each chain. */
  public List<Finding> check(Set<Symptom> symptoms) {
    Set<Symptom> wanted = symptoms.isEmpty() ? EnumSet.allOf(Symptom.class) : EnumSet.copyOf(symptoms);
    List<Finding> out = new ArrayList<>();
    Optional<Finding> unreachable = prometheusUnreachable();
    if (unreachable.isPresent()) {
      out.add(unreachable.get());
      return out;
    }
    if (wanted.contains(Symptom.METRICS) || wanted.contains(Symptom.NO_DATA)) {
      // Grafana's side of "no data" is not checked yet: an empty panel most often means a target is down.
      out.addAll(metrics());
    }
    if (wanted.contains(Symptom.ALERTS)) {
      out.addAll(alerts());
    }
    return out;
  }

  private Optional<Finding> prometheusUnreachable() {
    String where = prometheus.transport().base().toString();
    try {
      prometheus.buildInfo();
      return Optional.empty();
    } catch (ApiException e) {
      return Optional.of(Finding.fail(Symptom.METRICS, "Prometheus reachable at " + where, e.getMessage(),
          Unreachable.cause("Prometheus", e), Unreachable.fix("prometheus", e)));
    }
  }

  private List<Finding> metrics() {
    List<Finding> out = new ArrayList<>();
    RuntimeInfo info = prometheus.runtimeInfo();
    if (info.reloadConfigSuccess()) {
      out.add(Finding.ok(Symptom.METRICS, "Prometheus configuration loaded",
          "reloadConfigSuccess true, last loaded " + info.lastConfigTime()));
    } else {
      out.add(Finding.fail(Symptom.METRICS, "Prometheus configuration loaded",
          "reloadConfigSuccess false, still running the configuration of " + info.lastConfigTime(),
          "the last reload of prometheus.yml or a rule file was refused; Prometheus runs the previous one",
          "run `keiko-mon validate` to see the error, then `keiko-mon up`; `keiko-mon logs prometheus` shows it too"));
    }
    List<Target> active = prometheus.targets().activeTargets();
    if (active.isEmpty()) {
      out.add(Finding.fail(Symptom.METRICS, "scrape targets", "/api/v1/targets lists no active target",
          "Prometheus scrapes nothing", "add backend.targets to keiko.yml, then `keiko-mon up`"));
    }
    boolean anyUp = false;
    for (Target t : active) {
      out.add(targets.diagnose(t));
      anyUp |= t.up();
    }
    if (anyUp) {
      out.addAll(exporters());
    }
    return out;
  }

  /** Exporters answer their scrape (target up) while what they watch is down: their own gauges say so. */
  private List<Finding> exporters() {
    List<Finding> out = new ArrayList<>();
    for (Sample s : prometheus.query("pg_up").samples()) {
      out.add(gauge(s, "PostgreSQL exporter", "pg_up",
          "the PostgreSQL exporter cannot connect to PostgreSQL (wrong address, user or password)",
          "postgres.address, postgres.user and POSTGRES_PASSWORD in .env; `keiko-mon logs postgres-exporter`"
              + " shows PostgreSQL's reason"));
    }
    for (Sample s : prometheus.query("redis_up").samples()) {
      out.add(gauge(s, "Redis exporter", "redis_up",
          "the Redis exporter cannot reach Redis (wrong address or password)",
          "redis.address and REDIS_PASSWORD in .env; `keiko-mon logs redis-exporter` shows why"));
    }
    QueryResult codes = prometheus.query("probe_http_status_code");
    for (Sample s : prometheus.query("probe_success").samples()) {
      String instance = s.metric().getOrDefault("instance", "?");
      String status = codes.samples().stream().filter(c -> instance.equals(c.metric().get("instance")))
          .map(Sample::value).findFirst().orElse("unknown");
      String cause = "0".equals(status)
          ? "the probe of " + instance + " got no HTTP answer (refused, DNS or timeout)"
          : "the probe of " + instance + " answered HTTP " + status;
      out.add(gauge(s, "health probe", "probe_success", cause + ", not 2xx",
          "make " + instance + " answer 2xx, or correct backend.health_url / backend.health_paths"));
    }
    return out;
  }

  private static Finding gauge(Sample s, String what, String metric, String cause, String fix) {
    String instance = s.metric().getOrDefault("instance", "?");
    String check = what + " " + instance;
    String evidence = metric + "{instance=\"" + instance + "\"} = " + s.value();
    return s.number() == 1.0 ? Finding.ok(Symptom.METRICS, check, evidence)
        : Finding.fail(Symptom.METRICS, check, evidence, cause, fix);
  }

  private List<Finding> alerts() {
    List<Finding> out = new ArrayList<>();
    int rules = 0;
    for (RuleGroup g : prometheus.rules()) {
      for (Rule r : g.rules()) {
        rules++;
        if ("err".equals(r.health())) {
          out.add(Finding.fail(Symptom.ALERTS, "rule " + r.name() + " (group " + g.name() + ")", r.lastError(),
              "Prometheus fails to evaluate " + r.name() + ", so it never fires",
              "fix its expression (" + g.file() + "); `keiko-mon validate` runs promtool on it"));
        }
      }
    }
    if (rules == 0) {
      out.add(Finding.fail(Symptom.ALERTS, "alert rules loaded", "/api/v1/rules lists no rule",
          "Prometheus has no alert rules, so nothing can fire", "check the `alerts` section of keiko.yml, then "
              + "`keiko-mon up`"));
    } else if (out.isEmpty()) {
      out.add(Finding.ok(Symptom.ALERTS, "alert rules healthy", rules + " rules, none with an evaluation error"));
    }
    Alertmanagers discovered = prometheus.alertmanagers();
    if (discovered.activeAlertmanagers().isEmpty()) {
      out.add(Finding.fail(Symptom.ALERTS, "Alertmanager discovered by Prometheus",
          "/api/v1/alertmanagers lists no active Alertmanager"
              + (discovered.droppedAlertmanagers().isEmpty() ? "" : " (" + discovered.droppedAlertmanagers().size()
              + " dropped)"),
          "Prometheus sends firing alerts nowhere", "enable components.alertmanager in keiko.yml, then "
              + "`keiko-mon up`"));
    } else {
      out.add(Finding.ok(Symptom.ALERTS, "Alertmanager discovered by Prometheus",
          discovered.activeAlertmanagers().get(0).url()));
    }
    alertmanager.ifPresent(am -> out.add(alertmanagerReachable(am)));
    for (Sample s : prometheus.query("sum by (integration) (increase(alertmanager_notifications_failed_total[1h])) > 0")
        .samples()) {
      String integration = s.metric().getOrDefault("integration", "?");
      out.add(Finding.fail(Symptom.ALERTS, "notifications via " + integration,
          "increase(alertmanager_notifications_failed_total{integration=\"" + integration + "\"}[1h]) = " + s.value(),
          "Alertmanager failed to deliver " + integration + " notifications in the last hour",
          "`keiko-mon logs alertmanager` shows the reason; check the " + integration + " receiver's settings"
              + (integration.equals("slack") ? " (ALERTMANAGER_SLACK_URL in .env)" : "")));
    }
    return out;
  }

  private static Finding alertmanagerReachable(AlertmanagerClient am) {
    String check = "Alertmanager reachable at " + am.transport().base();
    try {
      return am.ready() ? Finding.ok(Symptom.ALERTS, check, "ready")
          : Finding.fail(Symptom.ALERTS, check, "/-/ready answered 503", "Alertmanager is not ready yet",
              "wait a few seconds; `keiko-mon status` shows its health");
    } catch (ApiException e) {
      return Finding.fail(Symptom.ALERTS, check, e.getMessage(), Unreachable.cause("Alertmanager", e),
          Unreachable.fix("alertmanager", e));
    }
  }
}
