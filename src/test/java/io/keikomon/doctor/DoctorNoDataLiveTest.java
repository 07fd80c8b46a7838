package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keikomon.api.ApiException;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.content.HostServices;
import io.keikomon.testing.GrafanaStandIn;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Dashboard shows no data" against Debian's real {@code prometheus} (scraping a backend that exports
 * {@code http_requests_total{code=...}}) and {@link GrafanaStandIn} (Grafana cannot run here) provisioned with one
 * healthy and one dead datasource and dashboards that each break one way: a metric that does not exist, a datasource
 * uid that is not provisioned, a label the backend does not export, and a time range the data is not in.
 */
@Tag("live")
class DoctorNoDataLiveTest {
  @TempDir static Path dir;
  private static HostServices host;
  private static HttpServer backend;
  private static GrafanaStandIn grafanaStandIn;
  private static PrometheusClient prometheus;
  private static GrafanaClient grafana;
  private static String promUrl;

  @BeforeAll
  static void start() throws Exception {
    host = new HostServices(Files.createDirectories(dir.resolve("logs")));
    byte[] metrics = """
        # TYPE http_requests_total counter
        http_requests_total{code="200",method="GET"} 120
        http_requests_total{code="500",method="GET"} 7
        """.getBytes(StandardCharsets.UTF_8);
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/metrics", x -> {
      x.sendResponseHeaders(200, metrics.length);
      x.getResponseBody().write(metrics);
      x.close();
    });
    backend.start();
    int promPort = HostServices.freePort();
    Path yml = dir.resolve("prometheus.yml");
    Files.writeString(yml, """
        global: {scrape_interval: 1s}
        scrape_configs:
          - {job_name: backend, static_configs: [{targets: ['127.0.0.1:%d']}]}
        """.formatted(backend.getAddress().getPort()));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + yml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort);
    promUrl = "http://127.0.0.1:" + promPort;
    prometheus = new PrometheusClient(DirectTransport.builder("127.0.0.1", promPort).build());

    Path prov = dir.resolve("provisioning");
    Files.createDirectories(prov.resolve("datasources"));
    Files.writeString(prov.resolve("datasources/prometheus.yaml"), """
        apiVersion: 1
        datasources:
          - {name: Prometheus, uid: prometheus, type: prometheus, url: '%s', isDefault: true}
          - {name: Old, uid: old, type: prometheus, url: 'http://127.0.0.1:%d'}
        """.formatted(promUrl, HostServices.freePort()));
    Files.createDirectories(prov.resolve("dashboards"));
    Files.writeString(prov.resolve("dashboards/keiko.yaml"), """
        apiVersion: 1
        providers:
          - {name: keiko, folder: Keiko, folderUid: keiko, type: file, options: {path: json}}
        """);
    Path json = Files.createDirectories(prov.resolve("json"));
    dashboard(json, "healthy", "Healthy", "now-1h", "now", "prometheus",
        "sum by (code) (rate(http_requests_total{job=\\\"backend\\\", instance=~\\\"$instance\\\"}[$__rate_interval]))");
    dashboard(json, "typo", "Typo", "now-1h", "now", "${datasource}",
        "sum(rate(http_request_total[$__rate_interval]))");
    dashboard(json, "lost", "Lost", "now-1h", "now", "prom-old-uid", "up");
    dashboard(json, "labels", "Labels", "now-1h", "now", "prometheus",
        "sum(rate(http_requests_total{status=~\\\"5..\\\"}[5m]))");
    dashboard(json, "range", "Range", "now-30d", "now-7d", "prometheus", "up{job=\\\"backend\\\"}");
    grafanaStandIn = new GrafanaStandIn(prov, "s3cret");
    grafanaStandIn.start();
    grafana = new GrafanaClient(DirectTransport.builder(grafanaStandIn.host(), grafanaStandIn.port())
        .basicAuth(new BasicAuth("admin", () -> "s3cret")).build());

    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        if (prometheus.query("count(http_requests_total)").samples().size() == 1) {
          break;
        }
      } catch (ApiException e) {
        // starting
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("Prometheus did not scrape the backend within 60 s");
      }
      Thread.sleep(200);
    }
  }

  private static void dashboard(Path dir, String uid, String title, String from, String to, String ds, String expr)
      throws Exception {
    Files.writeString(dir.resolve(uid + ".json"), """
        {"uid": "%s", "title": "%s", "time": {"from": "%s", "to": "%s"},
         "templating": {"list": [
           {"name": "datasource", "type": "datasource", "query": "prometheus", "current": {"value": "prometheus"}},
           {"name": "instance", "type": "query", "query": "label_values(up, instance)"}]},
         "panels": [{"id": 1, "type": "timeseries", "title": "%s requests",
                     "datasource": {"type": "prometheus", "uid": "%s"},
                     "targets": [{"refId": "A", "expr": "%s"}]}]}
        """.formatted(uid, title, from, to, title, ds, expr));
  }

  @AfterAll
  static void stop() {
    if (grafanaStandIn != null) {
      grafanaStandIn.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
    if (host != null) {
      host.close();
    }
  }

  private static List<Finding> noData() {
    return new Doctor(prometheus, Optional.empty(), false).withGrafana(grafana, promUrl)
        .withLabelKeys(Map.of("status", "backend.labels.status"), Clock.systemUTC()).check(Set.of(Symptom.NO_DATA));
  }

  private static Finding find(List<Finding> all, String checkStart) {
    return all.stream().filter(f -> f.check().startsWith(checkStart)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + checkStart + " in " + new DoctorReport(all).text()));
  }

  @Test
  void aHealthyDashboardAndDatasourceAreInfo() {
    List<Finding> all = noData();
    assertEquals(Severity.INFO, find(all, "datasource prometheus (Prometheus)").severity());
    Finding healthy = find(all, "dashboard \"Healthy\"");
    assertEquals(Severity.INFO, healthy.severity(), healthy.toString());
    assertTrue(healthy.evidence().startsWith("1 panel queries return data"), healthy.evidence());
  }

  @Test
  void aDeadDatasourceCarriesGrafanasOwnMessage() {
    Finding old = find(noData(), "datasource old (Old)");
    assertEquals(Severity.ERROR, old.severity());
    assertTrue(old.evidence().startsWith("Grafana: "), old.evidence());
    assertTrue(old.remedy().contains("the datasource url must be " + promUrl), old.remedy());
  }

  @Test
  void aMetricThatDoesNotExistIsNamedWithTheNearestOne() {
    Finding typo = find(noData(), "panel \"Typo requests\" of dashboard \"Typo\"");
    assertEquals(Severity.WARNING, typo.severity());
    assertTrue(typo.cause().contains("http_request_total never existed in Prometheus (did you mean"
        + " http_requests_total?)"), typo.cause());
    assertEquals("use http_requests_total instead of http_request_total", typo.remedy());
  }

  @Test
  void aDatasourceUidThatIsNotProvisionedIsAnError() {
    Finding lost = find(noData(), "panel \"Lost requests\" of dashboard \"Lost\" datasource");
    assertEquals(Severity.ERROR, lost.severity());
    assertTrue(lost.cause().contains("uses datasource uid prom-old-uid, which Grafana does not have"), lost.cause());
    assertTrue(lost.remedy().contains("[prometheus, old]"), lost.remedy());
  }

  @Test
  void aLabelTheBackendExportsUnderAnotherNameNamesTheKeikoYmlKey() {
    Finding labels = find(noData(), "panel \"Labels requests\" of dashboard \"Labels\"");
    assertEquals(Severity.ERROR, labels.severity());
    assertTrue(labels.cause().contains("http_requests_total has no label status; its series carry code"),
        labels.cause());
    assertEquals("backend.labels.status: code", labels.remedy());
  }

  @Test
  void dataOnlyOutsideTheDashboardsTimeRangeIsSaidSo() {
    Finding range = find(noData(), "panel \"Range requests\" of dashboard \"Range\"");
    assertEquals(Severity.WARNING, range.severity());
    assertTrue(range.cause().contains("has data only outside its time range"), range.cause());
    assertTrue(range.remedy().startsWith("widen the dashboard's time range"), range.remedy());
  }

  @Test
  void grafanasVariablesAreSetAsGrafanaWould() {
    // $__rate_interval is at least four steps; a matcher on a dashboard variable means "any value"
    assertEquals("rate(x{instance=~\".*\"}[240s]) / 60s",
        GrafanaDiagnosis.substitute("rate(x{instance=\"$instance\"}[$__rate_interval]) / $__interval",
            Duration.ofHours(1), Duration.ofSeconds(60)));
  }
}
