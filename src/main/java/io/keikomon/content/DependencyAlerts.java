package io.keikomon.content;

import static io.keikomon.content.StateAlerts.counterGrows;
import static io.keikomon.content.TestSeries.gauge;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL, Redis and host alerts the upstream mixins ship, for the metrics Debian's exporters
 * expose: limits about to be hit (connections, memory, clients, inodes, a disk filling up) and events
 * that are always worth a look (deadlocks, rejected connections, evictions, OOM kills). All warnings:
 * the page comes when the limit is hit (PostgresDown, RedisDown, the 5xx ratio).
 */
final class DependencyAlerts {
  private static final Map<String, String> PG = Map.of("job", ScrapeJob.POSTGRES, "instance", "postgres-exporter:9187");
  private static final Map<String, String> REDIS = Map.of("job", ScrapeJob.REDIS, "instance", "redis-exporter:9121");
  private static final Map<String, String> NODE = Map.of("job", ScrapeJob.NODE, "instance", "host.docker.internal:9100");
  /** Share of a limit (connections, clients, memory) from which the warning fires. */
  static final double NEAR_LIMIT = 0.8;
  /** Age of an open transaction from which the warning fires (seconds). */
  static final long LONG_TRANSACTION_SECONDS = 300;

  private final KeikoConfig config;

  DependencyAlerts(KeikoConfig config) {
    this.config = config;
  }

  List<AlertDefinition> postgres() {
    List<AlertDefinition> out = new ArrayList<>();
    String near = ValueFormat.plain(NEAR_LIMIT);
    Map<String, String> active = new HashMap<>(PG);
    active.put("datname", "keiko");
    active.put("state", "active");
    int n = StateAlert.samples("5m");
    out.add(new StateAlert("PostgresTooManyConnections", "sum by (job, instance) (pg_stat_activity_count) / on (job,"
        + " instance) max by (job, instance) (pg_settings_max_connections) > " + near, "5m", "warning", "postgres",
        new AlertText("PostgreSQL uses more than " + percent(NEAR_LIMIT) + " of max_connections",
            "Connections to PostgreSQL at {{ $labels.instance }} are above " + percent(NEAR_LIMIT)
                + " of max_connections for 5 minutes; new connections (the backend's pool growing) fail soon.",
            "Infrastructure dashboard, Connections by state; look for a connection leak or raise max_connections."))
        .build(List.of(gauge("pg_stat_activity_count", active, "90", n), gauge("pg_settings_max_connections", PG, "100", n)),
            List.of(PG),
            List.of(gauge("pg_stat_activity_count", active, "80", n), gauge("pg_settings_max_connections", PG, "100", n))));
    Map<String, String> db = new HashMap<>(PG);
    db.put("datid", "16384");
    db.put("datname", "keiko");
    out.add(counterGrows("PostgresDeadlocks", "pg_stat_database_deadlocks", db, "10m", "0s", "warning", "postgres",
        new AlertText("PostgreSQL deadlocks in {{ $labels.datname }}",
            "Transactions in {{ $labels.datname }} deadlocked in the last 10 minutes; PostgreSQL aborted one of each"
                + " pair, and the backend saw an error.",
            "The PostgreSQL log names the statements; make them take locks in the same order.")));
    Map<String, String> tx = new HashMap<>(PG);
    tx.put("datname", "keiko");
    tx.put("state", "idle in transaction");
    out.add(new StateAlert("PostgresLongRunningTransaction", "max by (job, instance, datname, state)"
        + " (pg_stat_activity_max_tx_duration) > " + LONG_TRANSACTION_SECONDS, "2m", "warning", "postgres",
        new AlertText("PostgreSQL transaction open for more than " + LONG_TRANSACTION_SECONDS / 60 + " minutes",
            "A transaction in {{ $labels.datname }} ({{ $labels.state }}) has been open for more than "
                + LONG_TRANSACTION_SECONDS + " s: it holds locks and keeps vacuum from cleaning up.",
            "`SELECT pid, state, xact_start, query FROM pg_stat_activity ORDER BY xact_start` finds it;"
                + " pg_terminate_backend(pid) ends it."))
        .build(List.of(gauge("pg_stat_activity_max_tx_duration", tx, "400", StateAlert.samples("2m"))), List.of(tx),
            List.of(gauge("pg_stat_activity_max_tx_duration", tx, "200", StateAlert.samples("2m")))));
    return out;
  }

  List<AlertDefinition> redis() {
    List<AlertDefinition> out = new ArrayList<>();
    String near = ValueFormat.plain(NEAR_LIMIT);
    int n = StateAlert.samples("5m");
    // maxmemory 0 means "no limit": the ratio is only taken where a limit is set.
    out.add(new StateAlert("RedisMemoryNearMax", "redis_memory_used_bytes / (redis_memory_max_bytes > 0) > " + near,
        "5m", "warning", "redis", new AlertText("Redis uses more than " + percent(NEAR_LIMIT) + " of maxmemory",
            "Redis at {{ $labels.instance }} is above " + percent(NEAR_LIMIT) + " of maxmemory for 5 minutes; at the"
                + " limit it evicts keys or refuses writes, depending on maxmemory-policy.",
            "Infrastructure dashboard, Memory used; find big keys (`redis-cli --bigkeys`) or raise maxmemory."))
        .build(List.of(gauge("redis_memory_used_bytes", REDIS, "900", n), gauge("redis_memory_max_bytes", REDIS, "1000", n)),
            List.of(REDIS),
            List.of(gauge("redis_memory_used_bytes", REDIS, "900", n), gauge("redis_memory_max_bytes", REDIS, "0", n))));
    out.add(new StateAlert("RedisClientsNearMax", "redis_connected_clients / redis_config_maxclients > " + near, "5m",
        "warning", "redis", new AlertText("Redis has more than " + percent(NEAR_LIMIT) + " of maxclients connected",
            "Redis at {{ $labels.instance }} has more than " + percent(NEAR_LIMIT) + " of maxclients connected for"
                + " 5 minutes; at the limit it rejects new connections.",
            "Infrastructure dashboard, Clients; look for a client that leaks connections, or raise maxclients."))
        .build(List.of(gauge("redis_connected_clients", REDIS, "9000", n), gauge("redis_config_maxclients", REDIS, "10000", n)),
            List.of(REDIS),
            List.of(gauge("redis_connected_clients", REDIS, "100", n), gauge("redis_config_maxclients", REDIS, "10000", n))));
    out.add(counterGrows("RedisRejectedConnections", "redis_rejected_connections_total", REDIS, "5m", "0s", "warning",
        "redis", new AlertText("Redis rejects connections",
            "Redis at {{ $labels.instance }} rejected connections in the last 5 minutes (maxclients reached).",
            "Infrastructure dashboard, Clients; raise maxclients or find the client that leaks connections.")));
    out.add(counterGrows("RedisEvictions", "redis_evicted_keys_total", REDIS, "10m", "0s", "warning", "redis",
        new AlertText("Redis evicts keys",
            "Redis at {{ $labels.instance }} evicted keys in the last 10 minutes because it reached maxmemory:"
                + " cached data is lost early and the hit ratio drops.",
            "Infrastructure dashboard, Memory used and Cache hit ratio; raise maxmemory or shorten TTLs.")));
    return out;
  }

  List<AlertDefinition> host() {
    List<AlertDefinition> out = new ArrayList<>();
    out.add(counterGrows("HostOomKill", "node_vmstat_oom_kill", NODE, "10m", "0s", "warning", "host", new AlertText(
        "{{ $labels.instance }}: the kernel killed a process (out of memory)",
        "The OOM killer ended at least one process on {{ $labels.instance }} in the last 10 minutes.",
        "`journalctl -k | grep -i 'killed process'` names it; Infrastructure dashboard, Memory usage.")));
    out.add(diskWillFill());
    return out;
  }

  /** predict_linear over 6h says the file system is full within a day, and it is already 60 % used. */
  private AlertDefinition diskWillFill() {
    String fs = "{fstype!~\"" + RecordingRules.IGNORED_FSTYPES + "\"}";
    StateAlert alert = new StateAlert("HostDiskWillFillIn24Hours", "predict_linear(node_filesystem_avail_bytes" + fs
        + "[6h], 86400) < 0 and on (job, instance, device, mountpoint) " + RecordingRules.DISK + " > 0.6", "1h",
        "warning", "host", new AlertText(
            "{{ $labels.instance }}: disk {{ $labels.mountpoint }} is full within 24 hours at this rate",
            "At the rate of the last 6 hours, {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }}"
                + " runs out of space within 24 hours; it is more than 60 % used already.",
            "Infrastructure dashboard, Disk; `du -xsh /*` on the host. Prometheus' own TSDB and Docker images are"
                + " common culprits (prometheus.retention)."));
    Map<String, String> root = new HashMap<>(NODE);
    root.put("device", "/dev/vda1");
    root.put("fstype", "ext4");
    root.put("mountpoint", "/");
    int n = StateAlert.samples("1h");
    // 100 GB, 39 GB free, losing 30 MB a minute: 43 GB a day.
    List<InputSeries> filling = List.of(gauge("node_filesystem_size_bytes", root, "100000000000", n),
        new InputSeries(TestSeries.selector("node_filesystem_avail_bytes", root), "39000000000-30000000x" + n),
        gauge("node_filesystem_readonly", root, "0", n));
    List<InputSeries> steady = List.of(gauge("node_filesystem_size_bytes", root, "100000000000", n),
        gauge("node_filesystem_avail_bytes", root, "39000000000", n), gauge("node_filesystem_readonly", root, "0", n));
    return alert.build(filling, List.of(root), steady);
  }

  private static String percent(double ratio) {
    return ValueFormat.PERCENT.threshold(ratio);
  }
}
