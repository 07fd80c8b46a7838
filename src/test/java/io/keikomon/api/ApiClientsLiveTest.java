package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.AlertmanagerModel.Matcher;
import io.keikomon.api.AlertmanagerModel.PostableAlert;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Rule;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Target;
import io.keikomon.content.HostServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PrometheusClient and AlertmanagerClient against Debian's real {@code prometheus} (2.42) and
 * {@code prometheus-alertmanager} (0.25) on free loopback ports: the shapes the records map are the ones the real
 * services send, and their error answers arrive as {@link ApiException} with the real status. The Debian binaries
 * are older than the pinned images; the endpoints used exist in both.
 */
@Tag("live")
class ApiClientsLiveTest {
  @TempDir static Path dir;
  private static HostServices host;
  private static Path prometheusYml;
  private static Path alertmanagerYml;
  private static int deadPort;
  private static int amPort;
  private static PrometheusClient prometheus;
  private static AlertmanagerClient alertmanager;

  @BeforeAll
  static void start() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    host = new HostServices(logs);
    amPort = HostServices.freePort();
    int promPort = HostServices.freePort();
    deadPort = HostServices.freePort();
    alertmanagerYml = dir.resolve("alertmanager.yml");
    Files.writeString(alertmanagerYml, alertmanagerConfig("team-null"));
    host.start("alertmanager", Map.of(), "/usr/bin/prometheus-alertmanager", "--config.file=" + alertmanagerYml,
        "--storage.path=" + dir.resolve("am"), "--web.listen-address=127.0.0.1:" + amPort,
        "--cluster.listen-address=");
    Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: keiko-live
            interval: 1s
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: KeikoLiveAlwaysFiring
                expr: vector(1)
                labels: {severity: warning}
                annotations: {summary: fires on purpose}
        """);
    prometheusYml = dir.resolve("prometheus.yml");
    Files.writeString(prometheusYml, prometheusConfig(promPort, ""));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + prometheusYml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
        "--web.enable-lifecycle", "--web.enable-admin-api",
        // Alerts fired before Alertmanager is discovered are dropped and resent only after this delay (default 1m).
        "--rules.alert.resend-delay=1s");
    prometheus = new PrometheusClient(DirectTransport.builder("127.0.0.1", promPort).build());
    alertmanager = new AlertmanagerClient(DirectTransport.builder("127.0.0.1", amPort).build());
    await("Prometheus ready", Duration.ofSeconds(60), () -> ready(prometheus::ready));
    await("Alertmanager ready", Duration.ofSeconds(60), () -> ready(alertmanager::ready));
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void prometheusIdentifiesItself() {
    assertTrue(prometheus.healthy());
    assertTrue(prometheus.buildInfo().version().startsWith("2."), prometheus.buildInfo().toString());
    RuntimeInfo info = prometheus.runtimeInfo();
    assertTrue(info.reloadConfigSuccess());
    assertFalse(info.lastConfigTime().isAfter(Instant.now()));
    assertTrue(info.startTime().isBefore(Instant.now()));
  }

  @Test
  void targetsShowHealthAndTheLastError() {
    List<Target> targets = await("both targets scraped", Duration.ofSeconds(30), () -> {
      List<Target> t = prometheus.targets().activeTargets();
      return t.size() == 2 && t.stream().allMatch(x -> !"unknown".equals(x.health())) ? Optional.of(t)
          : Optional.empty();
    });
    Target self = targets.stream().filter(t -> t.scrapePool().equals("prometheus")).findFirst().orElseThrow();
    assertTrue(self.up(), self.toString());
    assertEquals("", self.lastError());
    assertEquals("prometheus", self.labels().get("job"));
    assertTrue(self.lastScrape().isAfter(Instant.now().minusSeconds(60)), self.toString());
    Target dead = targets.stream().filter(t -> t.scrapePool().equals("dead")).findFirst().orElseThrow();
    assertEquals("down", dead.health());
    assertTrue(dead.lastError().contains("connection refused"), dead.lastError());
    assertEquals("http://127.0.0.1:" + deadPort + "/metrics", dead.scrapeUrl());
  }

  @Test
  void rulesShowHealthAndAlerts() {
    RuleGroup group = await("rules evaluated", Duration.ofSeconds(30), () -> prometheus.rules().stream()
        .filter(g -> g.name().equals("keiko-live") && g.rules().stream().allMatch(r -> "ok".equals(r.health()))
            && g.rules().stream().anyMatch(r -> !r.alerts().isEmpty()))
        .findFirst());
    assertEquals(1.0, group.interval());
    Rule recording = group.rules().get(0);
    assertEquals("job:up:sum", recording.name());
    assertFalse(recording.alerting());
    Rule alert = group.rules().get(1);
    assertTrue(alert.alerting());
    assertEquals("firing", alert.state());
    assertEquals("warning", alert.alerts().get(0).labels().get("severity"));
    assertEquals("fires on purpose", alert.annotations().get("summary"));
    assertTrue(prometheus.alerts().stream().anyMatch(a -> "KeikoLiveAlwaysFiring".equals(a.labels().get("alertname"))));
  }

  @Test
  void queriesReturnScalarsAndVectorsAndBadOnesAre400() {
    QueryResult two = prometheus.query("1+1");
    assertEquals("scalar", two.resultType());
    assertEquals(2.0, two.single());
    QueryResult up = await("up has samples", Duration.ofSeconds(30), () -> {
      QueryResult r = prometheus.query("up");
      return r.samples().size() == 2 ? Optional.of(r) : Optional.empty();
    });
    assertEquals("vector", up.resultType());
    assertTrue(up.samples().stream().anyMatch(s -> s.metric().get("job").equals("prometheus") && s.number() == 1.0));
    ApiException bad = assertThrows(ApiException.class, () -> prometheus.query("sum(("));
    assertTrue(bad.hasStatus(400));
    assertTrue(bad.getMessage().startsWith("run Prometheus query `sum((` failed: GET " + prometheus.transport().base()
        + "/api/v1/query?query=sum%28%28 answered HTTP 400 Bad Request: "), bad.getMessage());
    assertTrue(bad.getMessage().contains("bad_data"), bad.getMessage());
  }

  @Test
  void seriesLabelsAndMetricNames() {
    await("up stored", Duration.ofSeconds(30), () -> prometheus.metricNames().contains("up") ? Optional.of(1)
        : Optional.empty());
    List<Map<String, String>> series = prometheus.series("up{job=\"prometheus\"}");
    assertEquals(1, series.size(), series.toString());
    assertEquals("up", series.get(0).get("__name__"));
    assertTrue(prometheus.labelNames("up").containsAll(List.of("__name__", "instance", "job")));
    assertTrue(prometheus.labelValues("job", "up").containsAll(List.of("dead", "prometheus")));
  }

  @Test
  void reloadAppliesAGoodConfigAndReportsABadOne() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String good = Files.readString(prometheusYml);
    Files.writeString(prometheusYml, good.replace("scrape_configs:", "scrape_configs:\n  - {job_name: extra, "
        + "static_configs: [{targets: ['127.0.0.1:" + deadPort + "']}]}"));
    try {
      prometheus.reload();
      RuntimeInfo info = prometheus.runtimeInfo();
      assertTrue(info.reloadConfigSuccess());
      assertFalse(info.lastConfigTime().isBefore(before), info.toString());
      // Target discovery applies the new configuration a few seconds after the reload.
      await("new job among the targets", Duration.ofSeconds(30), () -> prometheus.targets().activeTargets().stream()
          .filter(t -> t.scrapePool().equals("extra")).findFirst());

      Files.writeString(prometheusYml, "scrape_configs: [ {job_name: \n");
      ApiException e = assertThrows(ApiException.class, prometheus::reload);
      assertEquals(500, e.status().getAsInt());
      assertTrue(e.getMessage().startsWith("reload Prometheus configuration failed: POST "
          + prometheus.transport().base() + "/-/reload answered HTTP 500 Internal Server Error: "), e.getMessage());
      assertFalse(prometheus.runtimeInfo().reloadConfigSuccess());
    } finally {
      Files.writeString(prometheusYml, good);
      prometheus.reload();
    }
    assertTrue(prometheus.runtimeInfo().reloadConfigSuccess());
  }

  @Test
  void prometheusKnowsItsAlertmanagerAndSendsItAlerts() {
    List<String> urls = await("Alertmanager discovered", Duration.ofSeconds(30), () -> {
      List<String> u = prometheus.alertmanagers().activeAlertmanagers().stream()
          .map(PrometheusModel.AlertmanagerUrl::url).toList();
      return u.isEmpty() ? Optional.empty() : Optional.of(u);
    });
    assertEquals(List.of("http://127.0.0.1:" + amPort + "/api/v2/alerts"), urls);
    await("the rule's alert reached Alertmanager", Duration.ofSeconds(30),
        () -> alertmanager.alerts("alertname=\"KeikoLiveAlwaysFiring\"").stream().findFirst());
  }

  @Test
  void snapshotAndTsdbStatus() {
    await("head has series", Duration.ofSeconds(30),
        () -> prometheus.tsdbStatus().headStats().numSeries() > 0 ? Optional.of(1) : Optional.empty());
    PrometheusModel.TsdbStatus tsdb = prometheus.tsdbStatus();
    assertFalse(tsdb.seriesCountByMetricName().isEmpty());
    String name = prometheus.snapshot(false);
    assertTrue(Files.isDirectory(dir.resolve("data/snapshots").resolve(name)), name);
  }

  @Test
  void alertmanagerStatusAndReceivers() {
    assertTrue(alertmanager.healthy());
    AlertmanagerModel.Status s = alertmanager.status();
    assertEquals("disabled", s.cluster().status());
    assertTrue(s.versionInfo().version().startsWith("0."), s.versionInfo().toString());
    assertTrue(s.config().original().contains("team-null"), s.config().original());
    assertTrue(s.uptime().isBefore(Instant.now()));
    assertTrue(alertmanager.receivers().stream().anyMatch(r -> r.name().equals("team-null")));
  }

  @Test
  void postedAlertIsReadBackAndSilenced() {
    String name = "KeikoLivePosted";
    alertmanager.postAlerts(List.of(PostableAlert.of(Map.of("alertname", name, "severity", "critical"),
        Map.of("summary", "posted by the test"))));
    AlertmanagerModel.Alert a = await("posted alert listed", Duration.ofSeconds(10),
        () -> alertmanager.alerts("alertname=\"" + name + "\"").stream().findFirst());
    assertEquals("posted by the test", a.annotations().get("summary"));
    assertEquals("active", a.status().state());
    assertTrue(a.status().silencedBy().isEmpty() && a.status().inhibitedBy().isEmpty());

    Instant now = Instant.now();
    String id = alertmanager.createSilence(new PostableSilence(null, List.of(Matcher.equal("alertname", name)),
        now, now.plus(Duration.ofHours(1)), "keiko-mon", "live test"));
    assertTrue(alertmanager.silences().stream().anyMatch(x -> x.id().equals(id) && x.active()));
    AlertmanagerModel.Alert silenced = await("alert silenced", Duration.ofSeconds(10), () ->
        alertmanager.alerts("alertname=\"" + name + "\"").stream().filter(x -> "suppressed".equals(x.status().state()))
            .findFirst());
    assertEquals(List.of(id), silenced.status().silencedBy());
    assertEquals("keiko-mon", alertmanager.silence(id).createdBy());

    alertmanager.expireSilence(id);
    assertEquals("expired", alertmanager.silence(id).status().state());
    Instant past = Instant.now().minusSeconds(60);
    ApiException late = assertThrows(ApiException.class, () -> alertmanager.createSilence(new PostableSilence(null,
        List.of(Matcher.equal("alertname", name)), past.minusSeconds(60), past, "keiko-mon", "too late")));
    assertTrue(late.hasStatus(400) && late.getMessage().contains("in the past"), late.getMessage());
    ApiException missing = assertThrows(ApiException.class,
        () -> alertmanager.silence("00000000-0000-0000-0000-000000000000"));
    assertTrue(missing.hasStatus(404), missing.getMessage());
  }

  @Test
  void alertmanagerReloadReportsABadConfig() throws Exception {
    alertmanager.reload();
    Files.writeString(alertmanagerYml, "route: {receiver: nowhere}\nreceivers: []\n");
    try {
      ApiException e = assertThrows(ApiException.class, alertmanager::reload);
      assertEquals(500, e.status().getAsInt());
      assertTrue(e.getMessage().startsWith("reload Alertmanager configuration failed: POST "
          + alertmanager.transport().base() + "/-/reload answered HTTP 500"), e.getMessage());
      assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    } finally {
      Files.writeString(alertmanagerYml, alertmanagerConfig("team-null"));
      alertmanager.reload();
    }
  }

  private static String prometheusConfig(int self, String extra) {
    return """
        global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
        rule_files: ['%s']
        alerting:
          alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]
        scrape_configs:
          - {job_name: prometheus, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: dead, static_configs: [{targets: ['127.0.0.1:%d']}]}
        """.formatted(dir.resolve("rules.yml"), amPort, self, deadPort) + extra;
  }

  private static String alertmanagerConfig(String receiver) {
    return """
        route: {receiver: %s, group_wait: 1s}
        receivers:
          - name: %s
        """.formatted(receiver, receiver);
  }

  /** A probe that throws "refused" while the process is still starting. */
  private static Optional<Boolean> ready(Supplier<Boolean> probe) {
    try {
      return probe.get() ? Optional.of(true) : Optional.empty();
    } catch (ApiException e) {
      if (e.failure().isPresent()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static <T> T await(String what, Duration timeout, Supplier<Optional<T>> check) {
    Instant end = Instant.now().plus(timeout);
    while (true) {
      Optional<T> v = check.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(what + ": not within " + timeout + " (logs in " + dir.resolve("logs") + ")");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
