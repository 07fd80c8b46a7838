package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.config.KeikoConfig;
import io.keikomon.content.ScrapeJob;
import io.keikomon.testing.DemoBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No No-data panel": Debian's Prometheus 2.42 loads the rendered rules and scrapes Debian's node (1.5),
 * postgres (0.11, against the local PostgreSQL 15) and redis (1.45, against the local Redis) exporters, the
 * blackbox exporter (0.23, with the rendered blackbox.yml) probing the health endpoints, and
 * {@link DemoBackend}, a stand-in for the Keiko backend (the real one cannot run here) that gets continuous
 * traffic. Then every dashboard query and every recording rule must return data; failures name the panel.
 * The Debian binaries are older than the pinned images; the metric names used are the same in both.
 */
@Tag("live")
class NoDataPanelLiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Stands in for Grafana's $__rate_interval: several scrapes at the 2s interval used here. */
  private static final String RATE_INTERVAL = "30s";
  /** $job, $host, ${postgres}: a dashboard's own variables (Grafana's built-ins start with $__). */
  private static final Pattern DASHBOARD_VARIABLE = Pattern.compile("\\$\\{?(?!__)[A-Za-z]\\w*\\}?");

  @TempDir static Path dir;
  private static HostServices host;
  private static DemoBackend backend;
  private static ScheduledExecutorService traffic;
  private static MonitoringContent content;
  private static String prometheus;

  @BeforeAll
  static void startStack() throws Exception {
    HostServices.ensurePostgres();
    HostServices.ensureRedis();
    KeikoConfig config = ContentFixtures.config(ContentFixtures.CUSTOM_METRICS);
    content = MonitoringContent.from(config);
    Path rendered = ContentFixtures.writeTo(ContentFixtures.render(config), dir.resolve("monitoring"));
    Path logs = Files.createDirectories(dir.resolve("logs"));

    backend = new DemoBackend().start(0);
    traffic = Executors.newSingleThreadScheduledExecutor();
    traffic.scheduleAtFixedRate(NoDataPanelLiveTest::makeTraffic, 0, 500, TimeUnit.MILLISECONDS);

    host = new HostServices(logs);
    int node = HostServices.freePort();
    int postgres = HostServices.freePort();
    int redis = HostServices.freePort();
    int blackbox = HostServices.freePort();
    int prom = HostServices.freePort();
    host.start("node-exporter", Map.of(), "/usr/bin/prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + node);
    host.start("postgres-exporter", Map.of("DATA_SOURCE_NAME", HostServices.PG_DSN),
        "/usr/bin/prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:" + postgres);
    host.start("redis-exporter", Map.of(), "/usr/bin/prometheus-redis-exporter",
        "-redis.addr=redis://127.0.0.1:6379", "-web.listen-address=127.0.0.1:" + redis);
    host.start("blackbox-exporter", Map.of(), "/usr/bin/prometheus-blackbox-exporter",
        "--config.file=" + rendered.resolve("blackbox/blackbox.yml"), "--web.listen-address=127.0.0.1:" + blackbox);

    String healthTargets = String.join(", ", config.backend().healthPaths().stream()
        .map(p -> "'http://" + backend.hostPort() + p + "'").toList());
    Path prometheusYml = dir.resolve("prometheus.yml");
    Files.writeString(prometheusYml, """
        # Test set-up: the rendered rules, the generated job names, everything on loopback ports.
        global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s}
        rule_files: ['%s/*.yml']
        scrape_configs:
          - {job_name: %s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: %s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: %s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: %s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: %s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: %s, static_configs: [{targets: ['%s']}]}
          - job_name: %s
            metrics_path: /probe
            params: {module: [http_2xx]}
            static_configs: [{targets: [%s]}]
        %s""".formatted(rendered.resolve("prometheus/rules"),
        ScrapeJob.PROMETHEUS, prom, ScrapeJob.NODE, node, ScrapeJob.POSTGRES, postgres, ScrapeJob.REDIS, redis,
        ScrapeJob.BLACKBOX, blackbox, ScrapeJob.BACKEND, backend.hostPort(), ScrapeJob.HEALTH, healthTargets,
        renderedProbeRelabelling(rendered).replace(ScrapeJob.BLACKBOX_ADDRESS, "127.0.0.1:" + blackbox)));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + prometheusYml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prom);
    prometheus = "http://127.0.0.1:" + prom;
    // Six scrape jobs with one target each, plus one probe target per health path.
    waitForAllTargetsUp(6 + config.backend().healthPaths().size(), Duration.ofSeconds(90), logs);
  }

  /** The rendered probe job's relabel_configs (instance host:port, path), so the test runs what users run. */
  private static String renderedProbeRelabelling(Path rendered) throws IOException {
    Matcher m = Pattern.compile("(?m)^    relabel_configs:\n(?:^      .*\n)+")
        .matcher(Files.readString(rendered.resolve("prometheus/prometheus.yml")));
    if (!m.find()) {
      throw new AssertionError("the rendered prometheus.yml has no probe relabelling");
    }
    return m.group();
  }

  @AfterAll
  static void stopStack() {
    if (traffic != null) {
      traffic.shutdownNow();
    }
    if (host != null) {
      host.close();
    }
    if (backend != null) {
      backend.stop();
    }
  }

  /** Backend requests, agent operations, custom metrics, and Redis hits and misses. */
  private static void makeTraffic() {
    backend.generateTraffic(20);
    try (Socket s = new Socket("127.0.0.1", 6379); OutputStream out = s.getOutputStream()) {
      out.write("SET keiko:live v\r\nGET keiko:live\r\nGET keiko:missing\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.getInputStream().readAllBytes();
    } catch (IOException e) {
      // the next tick tries again; the hit-ratio panel reports if Redis never answered
    }
  }

  private static void waitForAllTargetsUp(int expected, Duration timeout, Path logs) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "Prometheus did not answer (see " + logs.resolve("prometheus.log") + ")";
    while (System.nanoTime() < deadline) {
      try {
        JsonNode targets = get("/api/v1/targets").path("data").path("activeTargets");
        List<String> down = new ArrayList<>();
        targets.forEach(t -> {
          if (!t.path("health").asText().equals("up")) {
            down.add(t.path("labels").path("job").asText() + " " + t.path("scrapeUrl").asText() + ": "
                + t.path("lastError").asText() + " (" + t.path("health").asText() + ")");
          }
        });
        if (targets.size() == expected && down.isEmpty()) {
          return;
        }
        last = targets.size() + " targets, not up: " + down;
      } catch (IOException e) {
        last = "Prometheus not answering yet: " + e.getMessage();
      }
      HostServices.sleep(500);
    }
    throw new AssertionError("targets not up after " + timeout + ": " + last + "; logs in " + logs);
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** Why {@code expr} shows no data, or null when it returns at least one sample that is a number. */
  private static String noData(String expr) throws IOException, InterruptedException {
    JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    if (!r.path("status").asText().equals("success")) {
      return "query failed: " + r.path("error").asText();
    }
    JsonNode result = r.path("data").path("result");
    if (result.isEmpty()) {
      return "no series";
    }
    for (JsonNode sample : result) {
      if (!sample.path("value").path(1).asText().equals("NaN")) {
        return null;
      }
    }
    return "only NaN";
  }

  /** Grafana's variables as the test evaluates them: "All" (.+) for every dashboard variable, a short rate window. */
  static String asGrafanaWould(String expr) {
    return DASHBOARD_VARIABLE.matcher(expr.replace("$__rate_interval", RATE_INTERVAL)).replaceAll(".+");
  }

  /** Polls until no check fails (rates need a few scrapes), then reports every remaining failure. */
  private static void assertEventuallyAllHaveData(Map<String, String> checks, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> failures;
    do {
      failures = new ArrayList<>();
      for (Map.Entry<String, String> c : checks.entrySet()) {
        String why = noData(c.getValue());
        if (why != null) {
          failures.add(c.getKey() + ": " + why + "\n    " + c.getValue());
        }
      }
      if (failures.isEmpty()) {
        return;
      }
      HostServices.sleep(1000);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(failures.size() + " of " + checks.size() + " without data:\n  "
        + String.join("\n  ", failures));
  }

  @Test
  void everyDashboardQueryReturnsData() throws Exception {
    Map<String, String> checks = new LinkedHashMap<>();
    for (Dashboard d : content.dashboards()) {
      for (Panel p : d.panels()) {
        for (Target t : p.targets()) {
          checks.put(d.title() + " / " + p.title() + " [" + t.refId() + "]", asGrafanaWould(t.expr()));
        }
      }
      for (Variable v : d.variables()) {
        if (v.isDatasource()) {
          continue; // chooses among datasources, selects no series; RenderedDashboardsTest checks it
        }
        // label_values(selector, label) is Grafana's; the selector must match series.
        String selector = v.query().substring("label_values(".length(), v.query().lastIndexOf(','));
        checks.put(d.title() + " / variable " + v.name(), asGrafanaWould(selector));
      }
    }
    assertTrue(checks.size() > 40, "queries: " + checks.size());
    assertEventuallyAllHaveData(checks, Duration.ofSeconds(60));
  }

  @Test
  void everyRecordingRuleReturnsDataAndEveryRuleEvaluates() throws Exception {
    Map<String, String> checks = new LinkedHashMap<>();
    content.recordingGroups().forEach(g -> g.rules().forEach(r -> checks.put("recording rule " + r.record(), r.record())));
    assertEventuallyAllHaveData(checks, Duration.ofSeconds(60));

    List<String> unhealthy = new ArrayList<>();
    get("/api/v1/rules").path("data").path("groups").forEach(g -> g.path("rules").forEach(r -> {
      if (!r.path("health").asText().equals("ok")) {
        unhealthy.add(r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText());
      }
    }));
    assertEquals(List.of(), unhealthy);
  }

  @Test
  void watchdogFiresInARealPrometheus() throws Exception {
    assertEventuallyAllHaveData(Map.of("Watchdog", "ALERTS{alertname=\"Watchdog\", alertstate=\"firing\"}"),
        Duration.ofSeconds(30));
  }

  @Test
  void aFailingReadinessEndpointShowsInTheProbe() throws Exception {
    backend.setReady(false);
    try {
      assertEventuallyAllHaveData(Map.of("probe of /health/ready fails",
          "probe_success{job=\"" + ScrapeJob.HEALTH + "\", path=\"/health/ready\"} == 0"), Duration.ofSeconds(30));
      // instance is the backend's host:port, as on its own scrape job (KeikoBackendDown mutes its probes by it)
      assertEventuallyAllHaveData(Map.of("probe of /health/live still passes",
          "probe_success{job=\"" + ScrapeJob.HEALTH + "\", instance=\"" + backend.hostPort()
              + "\", path=\"/health/live\"} == 1"), Duration.ofSeconds(5));
    } finally {
      backend.setReady(true);
    }
  }
}
