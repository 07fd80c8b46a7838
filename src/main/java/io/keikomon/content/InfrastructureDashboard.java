package io.keikomon.content;

import static io.keikomon.content.RecordingRules.CPU;
import static io.keikomon.content.RecordingRules.DISK;
import static io.keikomon.content.RecordingRules.INODES;
import static io.keikomon.content.RecordingRules.MEMORY;
import static io.keikomon.content.RecordingRules.NETWORK_RECEIVE;
import static io.keikomon.content.RecordingRules.NETWORK_TRANSMIT;
import static io.keikomon.content.RecordingRules.REDIS_HIT_RATIO;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.DashboardLayout.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * Dashboard "Infrastructure": the scrape health of every target and Prometheus' own health, then host
 * (node-exporter), PostgreSQL and Redis, each section only when that component is enabled and each with its
 * own instance variable (one shared variable would empty the other sections). Thresholds are the alerts'.
 */
final class InfrastructureDashboard {
  static final String UID = "keiko-infrastructure";
  private static final String RATE = "[$__rate_interval]";

  private InfrastructureDashboard() {}

  /** The selector of one section: its scrape job, the instances its variable selects. */
  private static String section(String job, String variable) {
    return "{job=\"" + job + "\", instance=~\"$" + variable + "\"}";
  }

  static Dashboard build(KeikoConfig config) {
    KeikoConfig.Alerts alerts = config.alerts();
    List<Variable> variables = new ArrayList<>(List.of(Variable.prometheusDatasource(BackendDashboard.PROMETHEUS_UID),
        Variable.query("job", "Job", "label_values(up, job)")));
    DashboardLayout d = new DashboardLayout();
    d.row("Targets")
        .panel("state-timeline", "Targets up", "up: whether Prometheus' last scrape of the target succeeded"
                + " (KeikoBackendDown, MonitoringComponentDown once down for " + alerts.serviceDown().forDuration()
                + ").", "none", 24, 8, Query.of("up{job=~\"$job\"}", "{{job}} {{instance}}"))
        .states(PanelThresholds.UP_DOWN)
        .thresholds(PanelThresholds.upDown());
    String prom = "{job=\"" + ScrapeJob.PROMETHEUS + "\"}";
    d.row("Prometheus")
        .panel("state-timeline", "Config reload", "prometheus_config_last_reload_successful: whether the last"
                + " reload of prometheus.yml and the rules worked (PrometheusConfigReloadFailed).", "none", 8, 6,
            Query.of("prometheus_config_last_reload_successful" + prom, "{{instance}}"))
        .states(PanelThresholds.OK_FAILING)
        .thresholds(PanelThresholds.upDown())
        .panel("timeseries", "Rule evaluation failures", "Failed rule evaluations per second"
                + " (PrometheusRuleEvaluationFailures).", "ops", 8, 6,
            Query.of("sum by (instance) (rate(prometheus_rule_evaluation_failures_total" + prom + RATE + "))",
                "{{instance}}"))
        .panel("timeseries", "Notifications dropped", "Alert notifications Prometheus dropped instead of sending"
                + " them to Alertmanager, per second (PrometheusNotificationsDropped).", "ops", 8, 6,
            Query.of("sum by (instance) (rate(prometheus_notifications_dropped_total" + prom + RATE + "))",
                "{{instance}}"));
    if (config.components().nodeExporter()) {
      variables.add(Variable.query("host", "Host", "label_values(up{job=\"" + ScrapeJob.NODE + "\"}, instance)"));
      String f = section(ScrapeJob.NODE, "host");
      List<ThresholdStep> disk = PanelThresholds.of(alerts.disk());
      d.row("Host")
          .panel("timeseries", "CPU usage", "Share of CPU time not idle, averaged over cores; dashed lines at the"
                  + " HostHighCpuUsage thresholds.", "percentunit", 12, 8, Query.of(CPU + f, "{{instance}}"))
          .thresholds(PanelThresholds.of(alerts.cpu()))
          .panel("timeseries", "Memory usage", "1 - MemAvailable / MemTotal; dashed lines at the HostHighMemoryUsage"
                  + " thresholds.", "percentunit", 12, 8, Query.of(MEMORY + f, "{{instance}}"))
          .thresholds(PanelThresholds.of(alerts.memory()))
          .panel("timeseries", "Disk usage", "Used share of each writable real file system; dashed lines at the"
                  + " HostHighDiskUsage thresholds.", "percentunit", 12, 8,
              Query.of(DISK + f, "{{instance}} {{mountpoint}}"))
          .thresholds(disk)
          .panel("timeseries", "Inode usage", "Used share of the inodes of each writable real file system"
                  + " (HostInodesRunningOut, at the disk thresholds).", "percentunit", 12, 8,
              Query.of(INODES + f, "{{instance}} {{mountpoint}}"))
          .thresholds(disk)
          .panel("timeseries", "Load average", "Runnable and uninterruptible tasks, 1 and 15 minute averages.",
              "short", 8, 8, Query.of("node_load1" + f, "{{instance}} 1m"), Query.of("node_load15" + f,
                  "{{instance}} 15m"))
          .panel("timeseries", "Network I/O", "Bytes per second over physical interfaces.", "Bps", 8, 8,
              Query.of(NETWORK_RECEIVE + f, "{{instance}} receive"),
              Query.of(NETWORK_TRANSMIT + f, "{{instance}} transmit"))
          .panel("timeseries", "Disk I/O", "Bytes read and written per second, all disks.", "Bps", 8, 8,
              Query.of("sum by (instance) (rate(node_disk_read_bytes_total" + f + RATE + "))", "{{instance}} read"),
              Query.of("sum by (instance) (rate(node_disk_written_bytes_total" + f + RATE + "))",
                  "{{instance}} written"));
    }
    if (config.postgres().enabled()) {
      variables.add(Variable.query("postgres", "PostgreSQL",
          "label_values(up{job=\"" + ScrapeJob.POSTGRES + "\"}, instance)"));
      String f = section(ScrapeJob.POSTGRES, "postgres");
      d.row("PostgreSQL")
          .panel("timeseries", "Connections", "Backends per database, and the server's max_connections.", "short",
              8, 8, Query.of("sum by (datname) (pg_stat_database_numbackends" + f + ")", "{{datname}}"),
              Query.of("max(pg_settings_max_connections" + f + ")", "max_connections"))
          .panel("timeseries", "Connections used", "Connections as a share of max_connections; a dashed line where"
                  + " PostgresTooManyConnections fires.", "percentunit", 8, 8,
              Query.of("sum by (instance) (pg_stat_activity_count" + f + ") / on (instance) max by (instance)"
                  + " (pg_settings_max_connections" + f + ")", "{{instance}}"))
          .thresholds(PanelThresholds.warningAt(DependencyAlerts.NEAR_LIMIT))
          .panel("timeseries", "Connections by state", "pg_stat_activity by state (active, idle, idle in"
                  + " transaction).", "short", 8, 8,
              Query.of("sum by (state) (pg_stat_activity_count" + f + ")", "{{state}}"))
          .panel("timeseries", "Transactions", "Commits and rollbacks per second.", "ops", 8, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_xact_commit" + f + RATE + "))", "{{datname}} commit"),
              Query.of("sum by (datname) (rate(pg_stat_database_xact_rollback" + f + RATE + "))",
                  "{{datname}} rollback"))
          .panel("timeseries", "Deadlocks", "Deadlocks detected per second (PostgresDeadlocks fires on any).", "ops",
              8, 8, Query.of("sum by (datname) (rate(pg_stat_database_deadlocks" + f + RATE + "))", "{{datname}}"))
          .panel("timeseries", "Database size", "pg_database_size_bytes.", "bytes", 8, 8,
              Query.of("sum by (datname) (pg_database_size_bytes" + f + ")", "{{datname}}"))
          .panel("timeseries", "Longest running transaction", "Query performance: age of the oldest open"
                  + " transaction; a dashed line where PostgresLongRunningTransaction fires.", "s", 8, 8,
              Query.of("max by (datname) (pg_stat_activity_max_tx_duration" + f + ")", "{{datname}}"))
          .thresholds(PanelThresholds.warningAt(DependencyAlerts.LONG_TRANSACTION_SECONDS))
          .panel("timeseries", "Rows read", "Query performance: rows returned by scans and fetched by index.",
              "ops", 8, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_tup_returned" + f + RATE + "))",
                  "{{datname}} returned"),
              Query.of("sum by (datname) (rate(pg_stat_database_tup_fetched" + f + RATE + "))",
                  "{{datname}} fetched"))
          .panel("timeseries", "Buffer cache hit ratio", "Query performance: blocks found in shared buffers.",
              "percentunit", 8, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_blks_hit" + f + RATE + ")) / (sum by"
                  + " (datname) (rate(pg_stat_database_blks_hit" + f + RATE + ")) + sum by (datname)"
                  + " (rate(pg_stat_database_blks_read" + f + RATE + ")))", "{{datname}}"));
    }
    if (config.redis().enabled()) {
      variables.add(Variable.query("redis", "Redis", "label_values(up{job=\"" + ScrapeJob.REDIS + "\"}, instance)"));
      String f = section(ScrapeJob.REDIS, "redis");
      d.row("Redis")
          .panel("timeseries", "Cache hit ratio", "Keyspace hits / (hits + misses) over 5 minutes.", "percentunit",
              8, 8, Query.of(REDIS_HIT_RATIO + f, "{{instance}}"))
          .panel("timeseries", "Memory used", "redis_memory_used_bytes (RedisMemoryNearMax fires above "
                  + ValueFormat.PERCENT.threshold(DependencyAlerts.NEAR_LIMIT) + " of a set maxmemory).", "bytes",
              8, 8, Query.of("redis_memory_used_bytes" + f, "{{instance}}"))
          .panel("timeseries", "Commands", "Commands processed per second.", "ops", 8, 8,
              Query.of("rate(redis_commands_processed_total" + f + RATE + ")", "{{instance}}"))
          .panel("timeseries", "Clients", "Connected and blocked clients.", "short", 8, 8,
              Query.of("redis_connected_clients" + f, "{{instance}} connected"),
              Query.of("redis_blocked_clients" + f, "{{instance}} blocked"))
          .panel("timeseries", "Clients used", "Connected clients as a share of maxclients; a dashed line where"
                  + " RedisClientsNearMax fires.", "percentunit", 8, 8,
              Query.of("redis_connected_clients" + f + " / redis_config_maxclients" + f, "{{instance}}"))
          .thresholds(PanelThresholds.warningAt(DependencyAlerts.NEAR_LIMIT))
          .panel("timeseries", "Evictions and rejections", "Keys evicted at maxmemory and connections rejected at"
                  + " maxclients, per second (RedisEvictions, RedisRejectedConnections fire on any).", "ops", 8, 8,
              Query.of("rate(redis_evicted_keys_total" + f + RATE + ")", "{{instance}} evicted"),
              Query.of("rate(redis_rejected_connections_total" + f + RATE + ")", "{{instance}} rejected"));
    }
    return new Dashboard(UID, "Infrastructure", List.of(Dashboard.TAG), variables, DashboardLink.forConfig(config),
        d.panels());
  }
}
