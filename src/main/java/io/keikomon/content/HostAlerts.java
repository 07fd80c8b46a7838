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
      out.add(inodes());
    }
    return out;
  }

  private ThresholdAlert alert(String name, String expr, Threshold t, long windowSeconds, Map<String, String> result,
      ThresholdAlert.Encoder encoder) {
    return new ThresholdAlert(name, expr, t.forDuration(), "host", ThresholdAlert.levels(t), Scale.RATIO,
        ValueFormat.PERCENT, windowSeconds, result, encoder);
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
    return alert("HostHighCpuUsage", RecordingRules.CPU, alerts.cpu(), 300, NODE, encoder).build(new AlertText(
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
    return alert("HostHighMemoryUsage", RecordingRules.MEMORY, alerts.memory(), 0, NODE, encoder).build(
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
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long available = Math.round(DISK_SIZE * (1 - v));
      List<InputSeries> series = new ArrayList<>(List.of(
          gauge("node_filesystem_size_bytes", root, Long.toString(DISK_SIZE), n),
          gauge("node_filesystem_avail_bytes", root, Long.toString(available), n),
          gauge("node_filesystem_readonly", root, "0", n)));
      // Full file systems that must never alert ride along in every case: a pseudo file system, an ISO
      // image and an EFI partition (by type, though mounted read-write), and a read-only ext4 mount.
      for (String[] fs : new String[][] {{"tmpfs", "tmpfs", "/run", "0"}, {"/dev/sr0", "iso9660", "/media/cdrom", "0"},
          {"/dev/vda15", "vfat", "/boot/efi", "0"}, {"/dev/vdb1", "ext4", "/srv/readonly", "1"}}) {
        Map<String, String> full = new HashMap<>(NODE);
        full.put("device", fs[0]);
        full.put("fstype", fs[1]);
        full.put("mountpoint", fs[2]);
        series.add(gauge("node_filesystem_size_bytes", full, "1000000", n));
        series.add(gauge("node_filesystem_avail_bytes", full, "0", n));
        series.add(gauge("node_filesystem_readonly", full, fs[3], n));
      }
      return new Encoded(series, 1 - (double) available / DISK_SIZE);
    };
    return alert("HostHighDiskUsage", RecordingRules.DISK, alerts.disk(), 0, root, encoder).build(new AlertText(
        "{{ $labels.instance }}: disk {{ $labels.mountpoint }} {value} full",
        "File system {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} is {value} full"
            + " (threshold {threshold}, held for {for}).",
        "Infrastructure dashboard, Disk; `du -xsh /*` on the host. Prometheus' own TSDB and Docker images are"
            + " common culprits (prometheus.retention)."));
  }

  /** Inodes run out like space does (many small files), with the disk thresholds. */
  private AlertDefinition inodes() {
    Map<String, String> root = new HashMap<>(NODE);
    root.put("device", "/dev/vda1");
    root.put("fstype", "ext4");
    root.put("mountpoint", "/");
    long files = 6_000_000;
    ThresholdAlert.Encoder encoder = (v, n) -> {
      long free = Math.round(files * (1 - v));
      return new Encoded(List.of(
          gauge("node_filesystem_files", root, Long.toString(files), n),
          gauge("node_filesystem_files_free", root, Long.toString(free), n),
          gauge("node_filesystem_readonly", root, "0", n)), 1 - (double) free / files);
    };
    return alert("HostInodesRunningOut", RecordingRules.INODES, alerts.disk(), 0, root, encoder).build(new AlertText(
        "{{ $labels.instance }}: {value} of the inodes of {{ $labels.mountpoint }} used",
        "File system {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} has used {value} of its"
            + " inodes (threshold {threshold}, held for {for}); when none are left no file can be created, however"
            + " much space is free.",
        "`df -i` and `find <mountpoint> -xdev -type f | cut -d/ -f2-3 | sort | uniq -c | sort -n | tail` find the"
            + " directory with millions of small files."));
  }
}
