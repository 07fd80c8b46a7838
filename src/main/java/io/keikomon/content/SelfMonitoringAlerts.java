package io.keikomon.content;

import static io.keikomon.content.StateAlerts.counterGrows;
import static io.keikomon.content.StateAlerts.gaugeIs;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who watches the watchers: Prometheus and Alertmanager report their own failures (a config reload that
 * did not take, rules that fail, alerts that cannot be delivered), and the exporters theirs. Metric names
 * are from the catalogue of the Debian binaries (src/main/resources/catalogue). The Watchdog covers the
 * case where nothing at all is evaluated or delivered.
 */
final class SelfMonitoringAlerts {
  private static final Map<String, String> PROMETHEUS = Map.of("job", ScrapeJob.PROMETHEUS, "instance", "localhost:9090");
  private static final Map<String, String> ALERTMANAGER =
      Map.of("job", ScrapeJob.ALERTMANAGER, "instance", "alertmanager:9093");

  private final KeikoConfig config;

  SelfMonitoringAlerts(KeikoConfig config) {
    this.config = config;
  }

  List<AlertDefinition> all() {
    List<AlertDefinition> out = new ArrayList<>();
    out.add(gaugeIs("PrometheusConfigReloadFailed", "prometheus_config_last_reload_successful == 0",
        "prometheus_config_last_reload_successful", PROMETHEUS, "0", "1", "5m", "critical", "prometheus", new AlertText(
            "Prometheus {{ $labels.instance }} runs an old configuration",
            "The last reload of prometheus.yml or the rule files failed; Prometheus keeps running the configuration"
                + " it had before, so changes (new targets, new alerts) are not in force.",
            "`keiko-mon validate` names the problem; `keiko-mon logs prometheus` shows the reload error.")));
    out.add(counterGrows("PrometheusRuleEvaluationFailures", "prometheus_rule_evaluation_failures_total",
        group(PROMETHEUS), "5m", "5m", "critical", "prometheus", new AlertText(
            "Prometheus fails to evaluate rules of {{ $labels.rule_group }}",
            "Rules in {{ $labels.rule_group }} failed to evaluate in the last 5 minutes: the alerts and recording"
                + " rules there are missing or stale.",
            "Prometheus UI, Status → Rules shows the failing rule and its error.")));
    out.add(counterGrows("PrometheusRuleGroupIterationsMissed", "prometheus_rule_group_iterations_missed_total",
        group(PROMETHEUS), "10m", "10m", "warning", "prometheus", new AlertText(
            "Prometheus misses evaluations of {{ $labels.rule_group }}",
            "An evaluation of {{ $labels.rule_group }} took longer than the evaluation interval, so iterations were"
                + " skipped: alerts there fire late.",
            "Prometheus UI, Status → Rules shows each group's evaluation time; the host may be overloaded.")));
    if (config.components().alertmanager()) {
      out.add(gaugeIs("PrometheusNoAlertmanagerDiscovered", "prometheus_notifications_alertmanagers_discovered < 1",
          "prometheus_notifications_alertmanagers_discovered", PROMETHEUS, "0", "1", "5m", "warning", "prometheus",
          new AlertText(
              "Prometheus has no Alertmanager to send alerts to",
              "Prometheus {{ $labels.instance }} has discovered no Alertmanager: firing alerts are not delivered.",
              "Check the alerting section of prometheus.yml and that the alertmanager container runs"
                  + " (`keiko-mon status`).")));
      out.add(counterGrows("PrometheusNotificationsDropped", "prometheus_notifications_dropped_total", PROMETHEUS,
          "5m", "5m", "warning", "prometheus", new AlertText(
              "Prometheus drops alerts meant for Alertmanager",
              "Prometheus {{ $labels.instance }} dropped alert notifications in the last 5 minutes (errors sending"
                  + " them, or a full queue).",
              "`keiko-mon logs prometheus` shows the send errors; is Alertmanager reachable?")));
    }
    out.add(counterGrows("PrometheusTsdbCompactionsFailed", "prometheus_tsdb_compactions_failed_total", PROMETHEUS,
        "3h", "0s", "warning", "prometheus", new AlertText(
            "Prometheus fails to compact its storage",
            "A TSDB compaction of {{ $labels.instance }} failed in the last 3 hours; the disk fills and queries slow"
                + " down while compactions fail.",
            "`keiko-mon logs prometheus`; most often the disk is full or the data volume is damaged.")));
    if (config.components().alertmanager()) {
      out.add(gaugeIs("AlertmanagerConfigReloadFailed", "alertmanager_config_last_reload_successful == 0",
          "alertmanager_config_last_reload_successful", ALERTMANAGER, "0", "1", "5m", "critical", "alertmanager",
          new AlertText(
              "Alertmanager {{ $labels.instance }} runs an old configuration",
              "The last reload of alertmanager.yml failed; Alertmanager keeps routing with the configuration it had"
                  + " before.",
              "`keiko-mon validate` (amtool check-config) names the problem; `keiko-mon logs alertmanager`.")));
      Map<String, String> slack = new HashMap<>(ALERTMANAGER);
      slack.put("integration", "slack");
      out.add(counterGrows("AlertmanagerNotificationsFailed", "alertmanager_notifications_failed_total", slack, "5m",
          "5m", "warning", "alertmanager", new AlertText(
              "Alertmanager fails to send {{ $labels.integration }} notifications",
              "Notifications through {{ $labels.integration }} failed in the last 5 minutes: alerts do not reach"
                  + " people.",
              "`keiko-mon logs alertmanager` shows the error (a revoked webhook URL, no network).")));
    }
    if (config.postgres().enabled()) {
      out.add(scrapeError("PostgresExporterScrapeError", "pg_exporter_last_scrape_error", ScrapeJob.POSTGRES,
          "postgres-exporter:9187", "postgres", "PostgreSQL"));
    }
    if (config.redis().enabled()) {
      out.add(scrapeError("RedisExporterScrapeError", "redis_exporter_last_scrape_error", ScrapeJob.REDIS,
          "redis-exporter:9121", "redis", "Redis"));
    }
    return out;
  }

  private static Map<String, String> group(Map<String, String> target) {
    Map<String, String> m = new HashMap<>(target);
    m.put("rule_group", "/etc/prometheus/rules/alerts.yml;keiko-backend");
    return m;
  }

  private static AlertDefinition scrapeError(String name, String metric, String job, String instance, String service,
      String what) {
    return gaugeIs(name, metric + " == 1", metric, Map.of("job", job, "instance", instance), "1", "0", "10m",
        "warning", service, new AlertText(
            "The " + what + " exporter cannot read all metrics",
            "The last scrape of " + what + " by {{ $labels.instance }} had errors (" + metric + " == 1) for 10"
                + " minutes: some " + what + " metrics and the alerts on them are missing.",
            "The exporter's log (`keiko-mon logs " + job + "-exporter`) names the failing query; often missing"
                + " privileges."));
  }
}
