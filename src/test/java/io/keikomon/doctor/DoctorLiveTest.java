package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keikomon.api.ApiException;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.PrometheusClient;
import io.keikomon.content.HostServices;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Doctor against Debian's real {@code prometheus} on a free loopback port, scraping a closed port, a server that
 * answers 404 on /metrics and a host name that does not resolve: the lastError strings are Prometheus' own.
 */
@Tag("live")
class DoctorLiveTest {
  @TempDir static Path dir;
  private static HostServices host;
  private static HttpServer noMetrics;
  private static PrometheusClient prometheus;
  private static int closedPort;
  private static int promPort;
  private static HttpServer notReady;
  private static Path rules;

  @BeforeAll
  static void start() throws Exception {
    host = new HostServices(Files.createDirectories(dir.resolve("logs")));
    noMetrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    noMetrics.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    noMetrics.start();
    notReady = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notReady.createContext("/", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    notReady.start();
    HostServices.ensurePostgres();
    int pgExporter = HostServices.freePort();
    int redisExporter = HostServices.freePort();
    int blackbox = HostServices.freePort();
    // the right user, the wrong password: pg_up 0, and the exporter's log says why
    host.start("postgres-exporter", Map.of("DATA_SOURCE_NAME",
        "postgresql://keiko:not-the-password@127.0.0.1:5432/keiko?sslmode=disable"),
        "/usr/bin/prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:" + pgExporter);
    // pointed at a port where no Redis listens
    host.start("redis-exporter", Map.of(), "/usr/bin/prometheus-redis-exporter",
        "--redis.addr=redis://127.0.0.1:" + HostServices.freePort(), "--web.listen-address=127.0.0.1:" + redisExporter);
    Path blackboxYml = dir.resolve("blackbox.yml");
    Files.writeString(blackboxYml, "modules: {http_2xx: {prober: http, timeout: 2s}}\n");
    host.start("blackbox-exporter", Map.of(), "/usr/bin/prometheus-blackbox-exporter",
        "--config.file=" + blackboxYml, "--web.listen-address=127.0.0.1:" + blackbox);
    promPort = HostServices.freePort();
    closedPort = HostServices.freePort();
    rules = dir.resolve("rules.yml");
    Files.writeString(rules, GOOD_RULES);
    Path yml = dir.resolve("prometheus.yml");
    Files.writeString(yml, """
        global: {scrape_interval: 1s, scrape_timeout: 1s}
        rule_files: [rules.yml]
        scrape_configs:
          - {job_name: prometheus, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: backend, metrics_path: /metrics,
             static_configs: [{targets: ['127.0.0.1:%d', '127.0.0.1:%d']}]}
          - {job_name: payments, static_configs: [{targets: ['no-such-host.invalid:9100']}]}
          - {job_name: postgres, scrape_interval: 5s, scrape_timeout: 5s,
             static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: redis, scrape_interval: 5s, scrape_timeout: 5s, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - job_name: health
            metrics_path: /probe
            params: {module: [http_2xx]}
            static_configs: [{targets: ['http://127.0.0.1:%d/health/ready']}]
            relabel_configs:
              - {source_labels: [__address__], target_label: __param_target}
              - {source_labels: [__param_target], target_label: instance}
              - {target_label: __address__, replacement: '127.0.0.1:%d'}
        """.formatted(promPort, closedPort, noMetrics.getAddress().getPort(), pgExporter, redisExporter,
        notReady.getAddress().getPort(), blackbox));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + yml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
        "--web.enable-lifecycle");
    prometheus = new PrometheusClient(DirectTransport.builder("127.0.0.1", promPort).build());
    await("every target scraped once", () -> {
      try {
        var targets = prometheus.targets().activeTargets();
        return targets.size() == 7 && targets.stream().allMatch(t -> t.up() || !t.lastError().isEmpty())
            && prometheus.query("pg_up").samples().size() == 1 && prometheus.query("redis_up").samples().size() == 1
            && prometheus.query("probe_success").samples().size() == 1;
      } catch (ApiException e) {
        return false;
      }
    });
  }

  @AfterAll
  static void stop() {
    if (noMetrics != null) {
      noMetrics.stop(0);
    }
    if (notReady != null) {
      notReady.stop(0);
    }
    if (host != null) {
      host.close();
    }
  }

  private static final String GOOD_RULES = """
      groups:
        - name: doctor
          rules:
            - {record: 'job:up:sum', expr: 'sum by (job) (up)'}
      """;

  private static Doctor doctor() {
    return new Doctor(prometheus, Optional.empty(), false)
        .withContainers(List.of(), new HostLogs(dir.resolve("logs")), "monitoring");
  }

  private static Finding find(List<Finding> all, String checkStart) {
    return all.stream().filter(f -> f.check().startsWith(checkStart)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + checkStart + " in " + new DoctorReport(all).text()));
  }

  @Test
  void postgresExporterWithTheWrongPasswordNamesPostgresqlsReasonWithoutThePassword() {
    List<Finding> all = doctor().check(Set.of(Symptom.METRICS));
    Finding pg = find(all, "PostgreSQL exporter 127.0.0.1:");
    assertEquals(Severity.ERROR, pg.severity(), pg.toString());
    assertTrue(pg.cause().contains("password authentication failed for user"), pg.cause());
    assertTrue(pg.remedy().startsWith("POSTGRES_PASSWORD in .env"), pg.remedy());
    String all3 = new DoctorReport(all).json() + String.join("\n", new DoctorReport(all).text());
    assertFalse(all3.contains("not-the-password"), "the DSN password is redacted");
  }

  @Test
  void redisExporterPointedAtTheWrongAddressNamesRedisAddress() {
    Finding redis = find(doctor().check(Set.of(Symptom.METRICS)), "Redis exporter 127.0.0.1:");
    assertEquals(Severity.ERROR, redis.severity(), redis.toString());
    assertTrue(redis.cause().contains("Couldn't connect to redis instance (redis://127.0.0.1:"), redis.cause());
    assertTrue(redis.remedy().startsWith("redis.address in keiko.yml"), redis.remedy());
  }

  @Test
  void aFailingReadinessProbeNamesTheHttpStatus() {
    Finding probe = find(doctor().check(Set.of(Symptom.METRICS)), "health probe http://127.0.0.1:");
    assertEquals(Severity.ERROR, probe.severity());
    assertTrue(probe.cause().contains("answered HTTP 503, not 2xx"), probe.cause());
  }

  @Test
  void aRuleFileBrokenByHandWhileRunningIsARefusedReloadWithTheLine() throws Exception {
    // a hand edit that breaks the YAML on line 5 (an unclosed flow sequence)
    Files.writeString(rules, GOOD_RULES + "  - name: [unclosed\n");
    try {
      try {
        prometheus.reload();
      } catch (ApiException expected) {
        // Prometheus answers 500 and keeps the old rules
      }
      Finding reload = find(doctor().check(Set.of(Symptom.METRICS)), "Prometheus configuration loaded");
      assertEquals(Severity.ERROR, reload.severity());
      assertTrue(reload.cause().contains("rules.yml"), reload.cause());
      assertTrue(reload.cause().matches(".*rules\\.yml: yaml: line \\d+: .*"), reload.cause());
      assertTrue(reload.remedy().startsWith("run `keiko-mon validate`"), reload.remedy());
    } finally {
      Files.writeString(rules, GOOD_RULES);
      prometheus.reload();
    }
  }

  private static Finding target(List<Finding> findings, String instance) {
    return findings.stream().filter(f -> f.check().endsWith(" " + instance)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding for " + instance + " in " + findings));
  }

  @Test
  void namesEachBrokenTargetsCauseAndFix() {
    List<Finding> all = new Doctor(prometheus, Optional.empty(), false).check(Set.of(Symptom.METRICS));
    assertEquals(Severity.INFO, all.get(0).severity(), "configuration loaded: " + all.get(0));
    assertEquals(Severity.INFO, target(all, "127.0.0.1:" + promPort).severity());

    Finding refused = target(all, "127.0.0.1:" + closedPort);
    assertEquals(Severity.ERROR, refused.severity());
    assertTrue(refused.evidence().contains("connection refused"), refused.evidence());
    assertTrue(refused.remedy().startsWith("backend.targets: 127.0.0.1:" + closedPort + " refused the connection"),
        refused.remedy());

    Finding notFound = target(all, "127.0.0.1:" + noMetrics.getAddress().getPort());
    assertTrue(notFound.evidence().contains("server returned HTTP status 404"), notFound.evidence());
    assertTrue(notFound.remedy().startsWith("backend.metrics_path: set the path"), notFound.remedy());

    Finding dns = target(all, "no-such-host.invalid:9100");
    assertTrue(dns.cause().contains("host name no-such-host.invalid does not resolve"),
        dns.cause() + " / " + dns.evidence());
    assertTrue(dns.remedy().startsWith("extra_targets (job payments).targets"), dns.remedy());
    assertTrue(!new DoctorReport(all).ok());
  }

  @Test
  void theSameTargetSeenFromAContainerIsTheLocalhostMistake() {
    List<Finding> all = new Doctor(prometheus, Optional.empty(), true).check(Set.of(Symptom.METRICS));
    Finding refused = target(all, "127.0.0.1:" + closedPort);
    assertTrue(refused.remedy().startsWith("backend.targets: use host.docker.internal:" + closedPort), refused.remedy());
  }

  @Test
  void alertsChainWithoutAlertmanager() {
    List<Finding> alerts = new Doctor(prometheus, Optional.empty(), false).check(Set.of(Symptom.ALERTS));
    assertTrue(alerts.stream().anyMatch(f -> f.severity() == Severity.INFO && f.check().equals("alert rules healthy")),
        alerts.toString());
    assertTrue(alerts.stream().anyMatch(f -> f.severity() == Severity.ERROR
        && f.check().equals("Alertmanager discovered by Prometheus")), alerts.toString());
  }

  private static void await(String what, java.util.function.BooleanSupplier check) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (!check.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        StringBuilder b = new StringBuilder();
        try {
          prometheus.targets().activeTargets().forEach(t -> b.append("\n").append(t.scrapeUrl()).append(' ')
              .append(t.health()).append(' ').append(t.lastError()));
        } catch (RuntimeException e) {
          b.append("\n").append(e.getMessage());
        }
        for (String s : List.of("prometheus", "postgres-exporter", "redis-exporter", "blackbox-exporter")) {
          b.append("\n--- ").append(s).append('\n').append(String.join("\n", new HostLogs(dir.resolve("logs"))
              .tail(s, 5)));
        }
        throw new AssertionError(what + ": not within 60 s" + b);
      }
      Thread.sleep(200);
    }
  }
}
