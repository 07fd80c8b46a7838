package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.KeikoConfig.BackendLabels;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared expensive expressions, recorded once and used by both alerts and dashboards. Names follow
 * level:metric:operations; "route" in a name means the configured route label (backend.labels.route).
 * Backend rates keep job and instance so dashboards can filter by both.
 */
public final class RecordingRules {
  public static final String REQUESTS = "instance:http_requests:rate5m";
  public static final String REQUESTS_5XX = "instance:http_requests_5xx:rate5m";
  public static final String JOB_REQUESTS = "job:http_requests:rate5m";
  public static final String ERROR_RATIO = "job:http_requests_5xx:ratio_rate5m";
  public static final String API_ERRORS = "job:api_errors:rate5m";
  public static final String ROUTE_REQUESTS = "instance_route:http_requests:rate5m";
  public static final String ROUTE_REQUESTS_5XX = "instance_route:http_requests_5xx:rate5m";
  public static final String ROUTE_BUCKETS = "instance_route_le:http_request_duration_seconds_bucket:rate5m";
  public static final String ROUTE_P50 = "route:http_request_duration_seconds:p50_5m";
  public static final String ROUTE_P95 = "route:http_request_duration_seconds:p95_5m";
  public static final String ROUTE_P99 = "route:http_request_duration_seconds:p99_5m";
  public static final String JOB_P95 = "job:http_request_duration_seconds:p95_5m";
  public static final String JOB_LATENCY_REQUESTS = "job:http_request_duration_seconds_count:rate5m";
  public static final String AGENT_OPERATIONS = "instance_operation:agent_operations:rate5m";
  public static final String AGENT_REGISTRATION_FAILURES = "instance:agent_registration_failures:increase10m";
  /** The window of {@link #AGENT_REGISTRATION_FAILURES}. */
  static final String FAILURE_WINDOW = "10m";
  public static final String CPU = "instance:node_cpu_utilisation:ratio_rate5m";
  public static final String MEMORY = "instance:node_memory_utilisation:ratio";
  public static final String DISK = "instance_mountpoint:node_filesystem_utilisation:ratio";
  public static final String INODES = "instance_mountpoint:node_filesystem_inodes_utilisation:ratio";
  public static final String NETWORK_RECEIVE = "instance:node_network_receive_bytes:rate5m";
  public static final String NETWORK_TRANSMIT = "instance:node_network_transmit_bytes:rate5m";
  public static final String REDIS_HIT_RATIO = "instance:redis_keyspace_hits:ratio_rate5m";

  /** Pseudo and container file systems whose usage says nothing about the host's disks. */
  static final String IGNORED_FSTYPES =
      "tmpfs|ramfs|devtmpfs|squashfs|overlay|aufs|nsfs|proc|sysfs|iso9660|vfat|fuse\\\\..*";
  /** Loopback and virtual interfaces; eth*, ens*, wlan* etc. remain. */
  static final String IGNORED_DEVICES = "lo|veth.*|docker.*|br-.*|virbr.*|cali.*|flannel.*|cni.*";

  private RecordingRules() {}

  public static List<RecordingGroup> forConfig(KeikoConfig config) {
    List<RecordingGroup> groups = new ArrayList<>();
    groups.add(new RecordingGroup("keiko-backend.rules", backend(config.backend().labels())));
    if (config.components().nodeExporter()) {
      groups.add(new RecordingGroup("keiko-host.rules", host()));
    }
    if (config.redis().enabled()) {
      groups.add(new RecordingGroup("keiko-redis.rules", List.of(new RecordingRule(REDIS_HIT_RATIO,
          "sum by (job, instance) (rate(redis_keyspace_hits_total[5m])) / (sum by (job, instance) "
              + "(rate(redis_keyspace_hits_total[5m])) + sum by (job, instance) (rate(redis_keyspace_misses_total[5m])))"))));
    }
    return groups;
  }

  private static List<RecordingRule> backend(BackendLabels l) {
    String serverErrors = "http_requests_total{" + l.status() + "=~\"5..\"}";
    // The "no 5xx yet is 0 %, not no data" fallback counts only requests that carry the status label, so a
    // wrong label name in keiko.yml shows as no data instead of a healthy-looking 0 %.
    String withStatus = "http_requests_total{" + l.status() + "=~\".+\"}";
    String route = "job, instance, " + l.route();
    // the fallback's 0 only where the result label exists: a wrong label name stays "no data", not 0
    String registrations = "agent_operations_total{" + l.operation() + "=\"register\", " + l.result() + "=~\".+\"}";
    String failed = "agent_operations_total{" + l.operation() + "=\"register\", " + l.result()
        + "=~\"" + BackendQueries.FAILED_RESULTS + "\"}";
    String w = FAILURE_WINDOW;
    return List.of(
        new RecordingRule(REQUESTS, "sum by (job, instance) (rate(http_requests_total[5m]))"),
        new RecordingRule(REQUESTS_5XX, "sum by (job, instance) (rate(" + serverErrors + "[5m]))"
            + " or sum by (job, instance) (rate(" + withStatus + "[5m])) * 0"),
        new RecordingRule(JOB_REQUESTS, "sum by (job) (" + REQUESTS + ")"),
        // No traffic is no data, not NaN (0/0): the ratio says nothing then.
        new RecordingRule(ERROR_RATIO, "sum by (job) (" + REQUESTS_5XX + ") / (" + JOB_REQUESTS + " > 0)"),
        new RecordingRule(API_ERRORS, "sum by (job) (rate(api_errors_total[5m]))"),
        new RecordingRule(ROUTE_REQUESTS, "sum by (" + route + ") (rate(http_requests_total[5m]))"),
        new RecordingRule(ROUTE_REQUESTS_5XX, "sum by (" + route + ") (rate(" + serverErrors + "[5m]))"
            + " or sum by (" + route + ") (rate(" + withStatus + "[5m])) * 0"),
        new RecordingRule(ROUTE_BUCKETS, "sum by (" + route + ", le) (rate(http_request_duration_seconds_bucket[5m]))"),
        quantile(ROUTE_P50, "0.5", l),
        quantile(ROUTE_P95, "0.95", l),
        quantile(ROUTE_P99, "0.99", l),
        new RecordingRule(JOB_P95, "histogram_quantile(0.95, sum by (job, le) (" + ROUTE_BUCKETS + "))"),
        new RecordingRule(JOB_LATENCY_REQUESTS, "sum by (job) (rate(http_request_duration_seconds_count[5m]))"),
        new RecordingRule(AGENT_OPERATIONS, "sum by (" + distinct("job, instance", l.operation(), l.result())
            + ") (rate(agent_operations_total[5m]))"),
        // Failures in the window: increase() for series older than the window; the whole value of a series
        // that appeared within it (a client library creates the failure series at its first failure, so its
        // first sample is already 1, which increase() cannot see) while its target was already scraped
        // then (a Prometheus that just started does not count a backend's old failures).
        new RecordingRule(AGENT_REGISTRATION_FAILURES, "sum by (job, instance) ((" + failed + " unless " + failed
            + " offset " + w + ") and on (job, instance) (up offset " + w + ") or increase(" + failed + "[" + w + "]))"
            + " or sum by (job, instance) (increase(" + registrations + "[" + w + "])) * 0"));
  }

  private static RecordingRule quantile(String record, String q, BackendLabels l) {
    return new RecordingRule(record, "histogram_quantile(" + q + ", sum by (job, " + l.route() + ", le) (" + ROUTE_BUCKETS + "))");
  }

  private static List<RecordingRule> host() {
    String fs = "{fstype!~\"" + IGNORED_FSTYPES + "\"}";
    String dev = "{device!~\"" + IGNORED_DEVICES + "\"}";
    return List.of(
        new RecordingRule(CPU, "1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))"),
        new RecordingRule(MEMORY, "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes"),
        // A read-only file system cannot fill up (and an image or ISO mount is always "full").
        new RecordingRule(DISK, "(1 - node_filesystem_avail_bytes" + fs + " / node_filesystem_size_bytes" + fs
            + ") unless on (job, instance, device, mountpoint) node_filesystem_readonly == 1"),
        // File systems without inodes (files == 0) have no ratio rather than NaN.
        new RecordingRule(INODES, "(1 - node_filesystem_files_free" + fs + " / (node_filesystem_files" + fs + " > 0))"
            + " unless on (job, instance, device, mountpoint) node_filesystem_readonly == 1"),
        new RecordingRule(NETWORK_RECEIVE, "sum without (device) (rate(node_network_receive_bytes_total" + dev + "[5m]))"),
        new RecordingRule(NETWORK_TRANSMIT, "sum without (device) (rate(node_network_transmit_bytes_total" + dev + "[5m]))"));
  }

  /** "job, instance" plus label names not already in it (operation and result may share a name). */
  private static String distinct(String base, String... names) {
    StringBuilder out = new StringBuilder(base);
    List<String> seen = new ArrayList<>(List.of(base.split(", ")));
    for (String n : names) {
      if (!seen.contains(n)) {
        seen.add(n);
        out.append(", ").append(n);
      }
    }
    return out.toString();
  }
}
