package io.keikomon.content;

import static io.keikomon.content.TestSeries.BACKEND_INSTANCE;
import static io.keikomon.content.TestSeries.counter;
import static io.keikomon.content.TestSeries.gauge;

import io.keikomon.config.KeikoConfig;
import io.keikomon.content.RecordingTestCase.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * promtool cases for the recording rules whose edge cases alerts depend on: no NaN at zero traffic, 0 %
 * only when the status label exists, the job-wide p95, new failure series, file systems that never count.
 * Evaluated at 10m, when every 5m window is full (one sample a minute, so rates are exact).
 */
final class RecordingTests {
  private static final int N = 15;
  private static final String AT = "10m";

  private RecordingTests() {}

  static List<RecordingTestCase> forConfig(KeikoConfig config) {
    KeikoConfig.BackendLabels l = config.backend().labels();
    List<RecordingTestCase> out = new ArrayList<>();
    String job = "{job=\"" + ScrapeJob.BACKEND + "\"}";
    out.add(new RecordingTestCase(RecordingRules.ERROR_RATIO + " is no data at zero traffic, never NaN",
        List.of(counter("http_requests_total", request(l, "200"), "0", N)), AT, RecordingRules.ERROR_RATIO, List.of()));
    out.add(new RecordingTestCase(RecordingRules.ERROR_RATIO + " is 0 with traffic and no 5xx",
        List.of(counter("http_requests_total", request(l, "200"), "60", N)), AT, RecordingRules.ERROR_RATIO,
        List.of(new Sample(RecordingRules.ERROR_RATIO + job, "0"))));
    out.add(new RecordingTestCase(RecordingRules.ERROR_RATIO + " is 0.25 for 1 error in 4 requests",
        List.of(counter("http_requests_total", request(l, "200"), "45", N),
            counter("http_requests_total", request(l, "500"), "15", N)), AT, RecordingRules.ERROR_RATIO,
        List.of(new Sample(RecordingRules.ERROR_RATIO + job, "0.25"))));
    Map<String, String> noStatus = new HashMap<>(request(l, "200"));
    noStatus.remove(l.status());
    noStatus.put(l.status() + "_wrong", "200");
    out.add(new RecordingTestCase(RecordingRules.REQUESTS_5XX + " is no data, not 0, when the status label is missing",
        List.of(counter("http_requests_total", noStatus, "60", N)), AT, RecordingRules.REQUESTS_5XX, List.of()));
    // 100 fast requests a minute on one route, 1 slow one on another: the p95 of the 101 is in the fast
    // bucket, 0.05 * 95.95 / 100 (the per-route p95 of /api/chat is about 1.9 s).
    List<InputSeries> histogram = new ArrayList<>();
    histogram.addAll(buckets(l, "/api/agents", "100", "100", "100"));
    histogram.addAll(buckets(l, "/api/chat", "0", "1", "1"));
    out.add(new RecordingTestCase(RecordingRules.JOB_P95 + " is over all routes of the job", histogram, AT,
        RecordingRules.JOB_P95, List.of(new Sample(RecordingRules.JOB_P95 + job, "0.047975"))));
    if (config.components().nodeExporter()) {
      out.add(diskIgnoresReadOnlyAndImageMounts());
    }
    return out;
  }

  private static Map<String, String> request(KeikoConfig.BackendLabels l, String status) {
    Map<String, String> m = new HashMap<>(Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE));
    m.put(l.method(), "GET");
    m.put(l.route(), "/api/chat");
    m.put(l.status(), status);
    return m;
  }

  /** Cumulative per-minute counts for le 0.05, 2 and +Inf on {@code route}. */
  private static List<InputSeries> buckets(KeikoConfig.BackendLabels l, String route, String fast, String slow,
      String all) {
    List<InputSeries> out = new ArrayList<>();
    String[][] les = {{"0.05", fast}, {"2", slow}, {"+Inf", all}};
    for (String[] le : les) {
      Map<String, String> m = new HashMap<>(Map.of("job", ScrapeJob.BACKEND, "instance", BACKEND_INSTANCE, "le", le[0]));
      m.put(l.route(), route);
      out.add(counter("http_request_duration_seconds_bucket", m, le[1], N));
    }
    return out;
  }

  private static RecordingTestCase diskIgnoresReadOnlyAndImageMounts() {
    List<InputSeries> series = new ArrayList<>();
    String[][] mounts = {{"/dev/vda1", "ext4", "/", "0", "25000"}, {"/dev/sr0", "iso9660", "/media/cdrom", "0", "0"},
        {"/dev/vda15", "vfat", "/boot/efi", "0", "0"}, {"/dev/vdb1", "ext4", "/srv/readonly", "1", "0"}};
    for (String[] m : mounts) {
      Map<String, String> labels = new HashMap<>(Map.of("job", ScrapeJob.NODE, "instance", "host.docker.internal:9100",
          "device", m[0], "fstype", m[1], "mountpoint", m[2]));
      series.add(gauge("node_filesystem_size_bytes", labels, "100000", N));
      series.add(gauge("node_filesystem_avail_bytes", labels, m[4], N));
      series.add(gauge("node_filesystem_readonly", labels, m[3], N));
    }
    return new RecordingTestCase(RecordingRules.DISK + " leaves out read-only, iso9660 and vfat mounts", series, AT,
        RecordingRules.DISK, List.of(new Sample(RecordingRules.DISK + "{device=\"/dev/vda1\", fstype=\"ext4\","
            + " instance=\"host.docker.internal:9100\", job=\"node\", mountpoint=\"/\"}", "0.75")));
  }
}
