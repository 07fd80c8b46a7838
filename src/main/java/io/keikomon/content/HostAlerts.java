package io.keikomon.content;

import static io.keikomon.content.TestSeries.counter;
import static io.keikomon.content.TestSeries.decimal;
import static io.keikomon.content.TestSeries.gauge;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.ScrapeJob;
import io.keikomon.config.KeikoConfig.Threshold;
import io.keikomon.content.ThresholdAlert.Encoded;
import io.keikomon.content.ThresholdAlert.Scale;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CPU, memory and disk usage of the host, from node-exporter (warning and critical thresholds). */
final class HostAlerts {
  private static final Map<String, String> NODE =
      Map.of("job", ScrapeJob.NODE, "instance", ScrapeJob.NODE_EXPORTER_ADDRESS);
  private static final long MEMORY_TOTAL = 8L << 30;
  private static final long DISK_SIZE = 100_000_000_000L;

  private final KeikoConfig.Alerts alerts;

  HostAlerts(KeikoConfig config) {
    this.alerts = config.alerts();
  }

  List<AlertDefinition> all() {
    List<AlertDefinition> out = new ArrayList<>();
    if (!ThresholdAlert.levels(alerts.cpu()).isEmpty()) {
      out.add(cpu());
    }
    if (!ThresholdAlert.levels(alerts.memory()).isEmpty()) {
      out.add(memory());
    }
    if (!ThresholdAlert.levels(alerts.disk()).isEmpty()) {
      out.add(disk());
    }
    return out;
  }

  private ThresholdAlert alert(String name, String expr, Threshold t, boolean rateBased, Map<String, String> result,
      ThresholdAlert.Encoder encoder) {
    return new ThresholdAlert(name, expr, t.forDuration(), "host", ThresholdAlert.levels(t), Scale.RATIO,
        ValueFormat.PERCENT, rateBased, result, encoder);
  }

  private AlertDefinition cpu() {
    ThresholdAlert.Encoder encoder = (v, n) -> {
      String idlePerMinute = decimal(60 * (1 - v), 6);
      Map<String, String> idle = new HashMap<>(NODE);
      idle.put("cpu", "0");
      idle.put("mode", "idle");
      return new Encoded(List.of(counter("node_cpu_seconds_total", idle, idlePerMinute, n)),
          1 - Double.parseDouble(idlePerMinute) / 60);
    };
    return alert("HostHighCpuUsage", RecordingRules.CPU, alerts.cpu(), true, NODE, encoder).build(new AlertText(
        "{{ $labels.instance }}: CPU usage {value}",
        "CPU usage on {{ $labels.instance }} is {value} (threshold {threshold}, held for {for}).",
        "Infrastructure dashboard, CPU; `top` on the host. Sustained load above this slows every request."));
  }

  private AlertDefinition memory() {
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long available = Math.round(MEMORY_TOTAL * (1 - v));
      return new Encoded(List.of(
          gauge("node_memory_MemTotal_bytes", NODE, Long.toString(MEMORY_TOTAL), n),
          gauge("node_memory_MemAvailable_bytes", NODE, Long.toString(available), n)),
          1 - (double) available / MEMORY_TOTAL);
    };
    return alert("HostHighMemoryUsage", RecordingRules.MEMORY, alerts.memory(), false, NODE, encoder).build(
        new AlertText(
            "{{ $labels.instance }}: memory usage {value}",
            "Memory usage on {{ $labels.instance }} is {value} of the total (threshold {threshold}, held for {for}).",
            "Infrastructure dashboard, Memory; find the largest processes. Near 100 % the kernel's OOM killer"
                + " ends processes."));
  }

  private AlertDefinition disk() {
    Map<String, String> root = new HashMap<>(NODE);
    root.put("device", "/dev/vda1");
    root.put("fstype", "ext4");
    root.put("mountpoint", "/");
    Map<String, String> tmpfs = new HashMap<>(NODE);
    tmpfs.put("device", "tmpfs");
    tmpfs.put("fstype", "tmpfs");
    tmpfs.put("mountpoint", "/run");
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long available = Math.round(DISK_SIZE * (1 - v));
      // A full tmpfs rides along in every case: pseudo file systems must never alert.
      return new Encoded(List.of(
          gauge("node_filesystem_size_bytes", root, Long.toString(DISK_SIZE), n),
          gauge("node_filesystem_avail_bytes", root, Long.toString(available), n),
          gauge("node_filesystem_size_bytes", tmpfs, "1000000", n),
          gauge("node_filesystem_avail_bytes", tmpfs, "0", n)),
          1 - (double) available / DISK_SIZE);
    };
    return alert("HostHighDiskUsage", RecordingRules.DISK, alerts.disk(), false, root, encoder).build(new AlertText(
        "{{ $labels.instance }}: disk {{ $labels.mountpoint }} {value} full",
        "File system {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} is {value} full"
            + " (threshold {threshold}, held for {for}).",
        "Infrastructure dashboard, Disk; `du -xsh /*` on the host. Prometheus' own TSDB and Docker images are"
            + " common culprits (prometheus.retention)."));
  }
}
