package io.keikomon.doctor;

import io.keikomon.api.PrometheusModel.Alert;
import io.keikomon.api.PrometheusModel.Alertmanagers;
import io.keikomon.api.PrometheusModel.Rule;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The alerts chain on Prometheus' side: its rules loaded and evaluating, the alerts that fire (each a consequence of
 * its job's cause), the Alertmanager it discovered and the notifications it could not deliver there.
 */
final class PrometheusAlertsDiagnosis {
  private final PrometheusReads reads;
  private final ServiceLogs logs;
  private final FindingLedger ledger;

  PrometheusAlertsDiagnosis(PrometheusReads reads, ServiceLogs logs, FindingLedger ledger) {
    this.reads = reads;
    this.logs = logs;
    this.ledger = ledger;
  }

  void diagnose() {
    int rules = 0;
    boolean failing = false;
    for (RuleGroup g : reads.rules()) {
      for (Rule r : g.rules()) {
        rules++;
        if ("err".equals(r.health())) {
          failing = true;
          ledger.add(Finding.error(Symptom.ALERTS, "prometheus", "rule " + r.name() + " (group " + g.name() + ")",
              r.lastError(), "Prometheus fails to evaluate " + r.name() + ", so it never fires",
              "fix its expression (" + g.file() + "); `keiko-mon validate` runs promtool on it"));
        }
      }
    }
    if (rules == 0) {
      ledger.add(Finding.error(Symptom.ALERTS, "prometheus", "alert rules loaded", "/api/v1/rules lists no rule",
          "Prometheus has no alert rules, so nothing can fire", "check the `alerts` section of keiko.yml, then "
              + "`keiko-mon up`"));
    } else if (!failing) {
      ledger.add(Finding.ok(Symptom.ALERTS, "prometheus", "alert rules healthy",
          rules + " rules, none with an evaluation error"));
    }
    for (Alert a : reads.alerts()) {
      String name = a.labels().getOrDefault("alertname", "?");
      if (name.equals("Watchdog") || !"firing".equals(a.state())) {
        if ("pending".equals(a.state())) {
          ledger.add(Finding.ok(Symptom.ALERTS, "prometheus", "alert " + name + " pending " + labels(a),
              "active since " + a.activeAt() + ", value " + a.value()));
        }
        continue;
      }
      String id = ledger.add(Finding.warning(Symptom.ALERTS, "prometheus", "alert " + name + " firing " + labels(a),
          "active since " + a.activeAt() + ", value " + a.value(),
          a.annotations().getOrDefault("summary", name + " fires"),
          a.annotations().containsKey("runbook_url") ? "runbook: " + a.annotations().get("runbook_url")
              : "see docs/runbooks.md"));
      String job = a.labels().get("job");
      if (job != null) {
        ledger.consequence(id, Set.of(job));
      }
    }
    Alertmanagers discovered = reads.alertmanagers();
    if (discovered.activeAlertmanagers().isEmpty()) {
      ledger.add(Finding.error(Symptom.ALERTS, "prometheus", "Alertmanager discovered by Prometheus",
          "/api/v1/alertmanagers lists no active Alertmanager"
              + (discovered.droppedAlertmanagers().isEmpty() ? "" : " (" + discovered.droppedAlertmanagers().size()
              + " dropped)"),
          "Prometheus sends firing alerts nowhere", "enable components.alertmanager in keiko.yml, then "
              + "`keiko-mon up`"));
    } else {
      ledger.add(Finding.ok(Symptom.ALERTS, "prometheus", "Alertmanager discovered by Prometheus",
          discovered.activeAlertmanagers().get(0).url()));
      notificationErrors();
    }
  }

  /** Prometheus' side of delivery: notifications it could not send to the Alertmanager it discovered. */
  private void notificationErrors() {
    for (Sample s : reads.query(PrometheusReads.NOTIFICATION_ERRORS).samples()) {
      String am = s.metric().getOrDefault("alertmanager", "?");
      ledger.add(Finding.error(Symptom.ALERTS, "prometheus", "Prometheus sends alerts to " + am,
          "increase(prometheus_notifications_errors_total{alertmanager=\"" + am + "\"}[10m]) = " + s.value()
              + LogReasons.reason(logs.tail("prometheus", ContainerDiagnosis.LOG_LINES).stream()
                  .filter(l -> l.contains("notifier") || l.contains("alertmanager")).toList())
                  .map(w -> "; log: " + w).orElse(""),
          "Prometheus cannot deliver alerts to " + am + " (unreachable from its container?)",
          "`keiko-mon status` shows whether alertmanager runs; both must be on the stack's network"));
    }
  }

  private static String labels(Alert a) {
    List<String> l = new ArrayList<>();
    for (String k : List.of("job", "instance", "service", "severity")) {
      if (a.labels().containsKey(k)) {
        l.add(k + "=" + a.labels().get(k));
      }
    }
    return "{" + String.join(", ", l) + "}";
  }
}
