package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @BeforeAll
  static void start() throws Exception {
    host = new HostServices(Files.createDirectories(dir.resolve("logs")));
    noMetrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    noMetrics.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    noMetrics.start();
    promPort = HostServices.freePort();
    closedPort = HostServices.freePort();
    Path yml = dir.resolve("prometheus.yml");
    Files.writeString(yml, """
        global: {scrape_interval: 1s, scrape_timeout: 1s}
        scrape_configs:
          - {job_name: prometheus, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: backend, metrics_path: /metrics,
             static_configs: [{targets: ['127.0.0.1:%d', '127.0.0.1:%d']}]}
          - {job_name: payments, static_configs: [{targets: ['no-such-host.invalid:9100']}]}
        """.formatted(promPort, closedPort, noMetrics.getAddress().getPort()));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + yml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort);
    prometheus = new PrometheusClient(DirectTransport.builder("127.0.0.1", promPort).build());
    await("every target scraped once", () -> {
      try {
        var targets = prometheus.targets().activeTargets();
        return targets.size() == 4 && targets.stream().allMatch(t -> t.up() || !t.lastError().isEmpty());
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
    if (host != null) {
      host.close();
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
  void alertsChainWithoutRulesOrAlertmanager() {
    List<Finding> alerts = new Doctor(prometheus, Optional.empty(), false).check(Set.of(Symptom.ALERTS));
    assertTrue(alerts.stream().anyMatch(f -> f.severity() == Severity.ERROR && f.check().equals("alert rules loaded")),
        alerts.toString());
    assertTrue(alerts.stream().anyMatch(f -> f.severity() == Severity.ERROR
        && f.check().equals("Alertmanager discovered by Prometheus")), alerts.toString());
  }

  private static void await(String what, java.util.function.BooleanSupplier check) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (!check.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(what + ": not within 60 s (logs in " + dir.resolve("logs") + ")");
      }
      Thread.sleep(200);
    }
  }
}
