package io.keikomon.content;

import static io.keikomon.content.RecordingRules.CPU;
import static io.keikomon.content.RecordingRules.DISK;
import static io.keikomon.content.RecordingRules.MEMORY;
import static io.keikomon.content.RecordingRules.NETWORK_RECEIVE;
import static io.keikomon.content.RecordingRules.NETWORK_TRANSMIT;
import static io.keikomon.content.RecordingRules.REDIS_HIT_RATIO;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.DashboardLayout.Query;
import java.util.List;

/**
 * Dashboard "Infrastructure": host (node-exporter), PostgreSQL and Redis, each section only when that
 * component is enabled, plus the scrape health of every target.
 */
final class InfrastructureDashboard {
  static final String UID = "keiko-infrastructure";
  private static final String F = "{job=~\"$job\", instance=~\"$instance\"}";

  private InfrastructureDashboard() {}

  static Dashboard build(KeikoConfig config) {
    DashboardLayout d = new DashboardLayout();
    d.row("Targets")
        .panel("timeseries", "Targets up", "1 when Prometheus' last scrape of the target succeeded.", "short", 24, 6,
            Query.of("up" + F, "{{job}} {{instance}}"));
    if (config.components().nodeExporter()) {
      d.row("Host")
          .panel("timeseries", "CPU usage", "Share of CPU time not idle, averaged over cores.", "percentunit", 12, 8,
              Query.of(CPU + F, "{{instance}}"))
          .panel("timeseries", "Memory usage", "1 - MemAvailable / MemTotal.", "percentunit", 12, 8,
              Query.of(MEMORY + F, "{{instance}}"))
          .panel("timeseries", "Disk usage", "Used share of each real file system.", "percentunit", 12, 8,
              Query.of(DISK + F, "{{instance}} {{mountpoint}}"))
          .panel("timeseries", "Network I/O", "Bytes per second over physical interfaces.", "Bps", 12, 8,
              Query.of(NETWORK_RECEIVE + F, "{{instance}} receive"),
              Query.of(NETWORK_TRANSMIT + F, "{{instance}} transmit"));
    }
    if (config.postgres().enabled()) {
      d.row("PostgreSQL")
          .panel("timeseries", "Connections", "Backends per database, and the server's max_connections.", "short",
              12, 8, Query.of("sum by (datname) (pg_stat_database_numbackends" + F + ")", "{{datname}}"),
              Query.of("max(pg_settings_max_connections" + F + ")", "max_connections"))
          .panel("timeseries", "Connections by state", "pg_stat_activity by state (active, idle, idle in"
                  + " transaction).", "short", 12, 8,
              Query.of("sum by (state) (pg_stat_activity_count" + F + ")", "{{state}}"))
          .panel("timeseries", "Transactions", "Commits and rollbacks per second.", "ops", 12, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_xact_commit" + F + "[$__rate_interval]))",
                  "{{datname}} commit"),
              Query.of("sum by (datname) (rate(pg_stat_database_xact_rollback" + F + "[$__rate_interval]))",
                  "{{datname}} rollback"))
          .panel("timeseries", "Database size", "pg_database_size_bytes.", "bytes", 12, 8,
              Query.of("sum by (datname) (pg_database_size_bytes" + F + ")", "{{datname}}"))
          .panel("timeseries", "Longest running transaction", "Query performance: age of the oldest open"
                  + " transaction.", "s", 8, 8,
              Query.of("max by (datname) (pg_stat_activity_max_tx_duration" + F + ")", "{{datname}}"))
          .panel("timeseries", "Rows read", "Query performance: rows returned by scans and fetched by index.",
              "ops", 8, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_tup_returned" + F + "[$__rate_interval]))",
                  "{{datname}} returned"),
              Query.of("sum by (datname) (rate(pg_stat_database_tup_fetched" + F + "[$__rate_interval]))",
                  "{{datname}} fetched"))
          .panel("timeseries", "Buffer cache hit ratio", "Query performance: blocks found in shared buffers.",
              "percentunit", 8, 8,
              Query.of("sum by (datname) (rate(pg_stat_database_blks_hit" + F + "[$__rate_interval])) / (sum by"
                  + " (datname) (rate(pg_stat_database_blks_hit" + F + "[$__rate_interval])) + sum by (datname)"
                  + " (rate(pg_stat_database_blks_read" + F + "[$__rate_interval])))", "{{datname}}"));
    }
    if (config.redis().enabled()) {
      d.row("Redis")
          .panel("timeseries", "Cache hit ratio", "Keyspace hits / (hits + misses) over 5 minutes.", "percentunit",
              8, 8, Query.of(REDIS_HIT_RATIO + F, "{{instance}}"))
          .panel("timeseries", "Memory used", "redis_memory_used_bytes.", "bytes", 8, 8,
              Query.of("redis_memory_used_bytes" + F, "{{instance}}"))
          .panel("timeseries", "Clients", "Connected and blocked clients.", "short", 8, 8,
              Query.of("redis_connected_clients" + F, "{{instance}} connected"),
              Query.of("redis_blocked_clients" + F, "{{instance}} blocked"));
    }
    return new Dashboard(UID, "Infrastructure", List.of("keiko"),
        List.of(new Variable("job", "Job", "label_values(up, job)"),
            new Variable("instance", "Instance", "label_values(up{job=~\"$job\"}, instance)")),
        d.panels());
  }
}
