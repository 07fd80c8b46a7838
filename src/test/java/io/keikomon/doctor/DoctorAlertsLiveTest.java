package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.AlertmanagerModel.Matcher;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.api.ApiException;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.PrometheusClient;
import io.keikomon.content.HostServices;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts chain against Debian's real {@code prometheus} and {@code prometheus-alertmanager}, one shared setup
 * with deliberate faults: a receiver without notifier that a critical alert ends at, a silence muting a firing
 * critical alert, an inhibited warning, a webhook receiver answering 500 next to one answering 200 (for
 * {@code --notify-test}), a second Alertmanager address nothing listens on, and a backend that exports {@code code}
 * where the rules select {@code status}.
 */
@Tag("live")
class DoctorAlertsLiveTest {
  @TempDir static Path dir;
  private static HostServices host;
  private static HttpServer hooks;
  private static final AtomicInteger failingCalls = new AtomicInteger();
  private static final AtomicInteger goodCalls = new AtomicInteger();
  private static PrometheusClient prometheus;
  private static AlertmanagerClient alertmanager;
  private static int amPort;
  private static int deadAmPort;
  private static Path logs;

  @BeforeAll
  static void start() throws Exception {
    logs = Files.createDirectories(dir.resolve("logs"));
    host = new HostServices(logs);
    hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext("/fail", x -> {
      failingCalls.incrementAndGet();
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(500, -1);
      x.close();
    });
    hooks.createContext("/ok", x -> {
      goodCalls.incrementAndGet();
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    byte[] metrics = """
        # TYPE http_requests_total counter
        http_requests_total{code="200",method="GET"} 120
        http_requests_total{code="500",method="GET"} 7
        """.getBytes(StandardCharsets.UTF_8);
    hooks.createContext("/metrics", x -> {
      x.sendResponseHeaders(200, metrics.length);
      x.getResponseBody().write(metrics);
      x.close();
    });
    hooks.start();
    String hookBase = "http://127.0.0.1:" + hooks.getAddress().getPort();
    amPort = HostServices.freePort();
    deadAmPort = HostServices.freePort();
    int promPort = HostServices.freePort();
    Path amYml = dir.resolve("alertmanager.yml");
    Files.writeString(amYml, """
        route:
          receiver: default
          group_by: [alertname]
          group_wait: 1s
          group_interval: 5m
          routes:
            - {receiver: watchdog, matchers: ['alertname="Watchdog"']}
            - {receiver: default, matchers: ['team="ghost"']}
            - {receiver: pager, matchers: ['team="pager"']}
            - {receiver: chat, matchers: ['team="chat"']}
        inhibit_rules:
          - source_matchers: ['alertname="DoctorDatabaseDown"']
            target_matchers: ['alertname="DoctorSlowQueries"']
            equal: [instance]
        receivers:
          - name: default
          - name: watchdog
          - name: pager
            webhook_configs: [{url: '%s/fail', send_resolved: false, }]
          - name: chat
            webhook_configs: [{url: '%s/ok', send_resolved: false}]
        """.formatted(hookBase, hookBase));
    host.start("alertmanager", Map.of(), "/usr/bin/prometheus-alertmanager", "--config.file=" + amYml,
        "--storage.path=" + dir.resolve("am"), "--web.listen-address=127.0.0.1:" + amPort,
        "--cluster.listen-address=");
    Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: doctor
            interval: 1s
            rules:
              - alert: DoctorGhostCritical
                expr: vector(1)
                labels: {severity: critical, team: ghost}
                annotations: {summary: a critical alert nobody hears of}
              - alert: DoctorSilencedCritical
                expr: vector(1)
                labels: {severity: critical, instance: db:5432}
              - alert: DoctorDatabaseDown
                expr: vector(1)
                labels: {severity: warning, instance: db:5432}
              - alert: DoctorSlowQueries
                expr: vector(1)
                labels: {severity: warning, instance: db:5432}
              - alert: DoctorHighErrorRate
                expr: sum(rate(http_requests_total{job="backend", status=~"5.."}[1m])) > 0
                labels: {severity: warning}
        """);
    Path promYml = dir.resolve("prometheus.yml");
    Files.writeString(promYml, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: [rules.yml]
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['127.0.0.1:%d', '127.0.0.1:%d']}]
        scrape_configs:
          - {job_name: backend, static_configs: [{targets: ['127.0.0.1:%d']}]}
          - {job_name: prometheus, static_configs: [{targets: ['127.0.0.1:%d']}]}
        """.formatted(amPort, deadAmPort, hooks.getAddress().getPort(), promPort));
    host.start("prometheus", Map.of(), "/usr/bin/prometheus", "--config.file=" + promYml,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
        "--web.enable-lifecycle",
        // the first send can come before the notifier has discovered the Alertmanagers (then it is dropped);
        // resend every second instead of every minute so the await below does not depend on that race
        "--rules.alert.resend-delay=1s");
    prometheus = new PrometheusClient(DirectTransport.builder("127.0.0.1", promPort).build());
    alertmanager = new AlertmanagerClient(DirectTransport.builder("127.0.0.1", amPort).build());
    await("Alertmanager has the rules' alerts", () -> {
      try {
        return alertmanager.alerts().stream().map(a -> a.labels().get("alertname")).toList()
            .containsAll(List.of("DoctorGhostCritical", "DoctorSilencedCritical", "DoctorSlowQueries"))
            && !prometheus.query("prometheus_notifications_errors_total{alertmanager=~\".*:" + deadAmPort
                + ".*\"} > 0").samples().isEmpty();
      } catch (ApiException e) {
        return false;
      }
    });
    String silence = alertmanager.createSilence(new PostableSilence(null,
        List.of(Matcher.equal("alertname", "DoctorSilencedCritical")), Instant.now(),
        Instant.now().plus(Duration.ofHours(2)), "ops@example.com", "maintenance of db"));
    await("the silence applies", () -> alertmanager.alerts("alertname=\"DoctorSilencedCritical\"").stream()
        .anyMatch(a -> a.status().silencedBy().contains(silence)));
    await("the inhibition applies", () -> alertmanager.alerts("alertname=\"DoctorSlowQueries\"").stream()
        .anyMatch(a -> !a.status().inhibitedBy().isEmpty()));
  }

  @AfterAll
  static void stop() {
    if (hooks != null) {
      hooks.stop(0);
    }
    if (host != null) {
      host.close();
    }
  }

  private static Doctor doctor() {
    return new Doctor(prometheus, Optional.of(alertmanager), false)
        .withContainers(List.of(), new HostLogs(logs), "monitoring")
        .withLabelKeys(Map.of("status", "backend.labels.status"), Clock.systemUTC());
  }

  private static Finding find(List<Finding> all, String checkStart) {
    return all.stream().filter(f -> f.check().startsWith(checkStart)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + checkStart + " in " + new DoctorReport(all).text()));
  }

  @Test
  void aCriticalAlertEndingAtAReceiverWithoutNotifierIsAnError() {
    List<Finding> all = doctor().check(Set.of(Symptom.ALERTS));
    Finding ghost = find(all, "alertmanager: alert DoctorGhostCritical {severity=critical}");
    assertEquals(Severity.ERROR, ghost.severity(), ghost.toString());
    assertTrue(ghost.cause().contains("its receivers [default] have no notifier"), ghost.cause());
    assertTrue(ghost.remedy().contains("ALERTMANAGER_SLACK_URL"), ghost.remedy());
    Finding receiver = find(all, "receiver default");
    assertTrue(receiver.cause().contains("the route team=\"ghost\" ends at receiver default"), receiver.cause());
    assertTrue(find(all, "receiver watchdog").remedy().startsWith("alerting.dead_mans_switch_url"));
  }

  @Test
  void aSilenceMutingAFiringCriticalAlertIsNamedWithWhoAndWhy() {
    List<Finding> all = doctor().check(Set.of(Symptom.ALERTS));
    Finding muted = find(all, "alertmanager: alert DoctorSilencedCritical");
    assertEquals(Severity.ERROR, muted.severity());
    assertTrue(muted.cause().contains("alertname=\"DoctorSilencedCritical\", by ops@example.com"), muted.cause());
    assertTrue(muted.cause().endsWith(": maintenance of db) mutes it"), muted.cause());
    assertTrue(muted.remedy().contains("silence expire"), muted.remedy());
  }

  @Test
  void anInhibitedAlertIsFoldedUnderTheAlertThatInhibitsIt() {
    List<Finding> all = new DoctorReport(doctor().check(Set.of(Symptom.ALERTS))).findings();
    Finding cause = find(all, "alertmanager: alert DoctorDatabaseDown");
    Finding inhibited = find(all, "alertmanager: alert DoctorSlowQueries");
    assertTrue(inhibited.evidence().startsWith("inhibited by DoctorDatabaseDown"), inhibited.evidence());
    assertTrue(cause.explains().contains(inhibited.id()), cause + " / " + inhibited);
    assertEquals(all.indexOf(cause) + 1, all.indexOf(inhibited), "the consequence follows its cause");
  }

  @Test
  void anAlertmanagerPrometheusCannotReachIsAnError() {
    Finding f = find(doctor().check(Set.of(Symptom.ALERTS)), "Prometheus sends alerts to http://127.0.0.1:"
        + deadAmPort);
    assertEquals(Severity.ERROR, f.severity());
    assertTrue(f.evidence().contains("prometheus_notifications_errors_total"), f.evidence());
  }

  @Test
  void aRuleSelectingALabelTheBackendDoesNotExportNamesTheLabelItDoesAndTheKey() {
    List<Finding> all = doctor().check(Set.of(Symptom.METRICS));
    Finding f = find(all, "series http_requests_total{job=\"backend\", status=~\"5..\"}");
    assertEquals(Severity.ERROR, f.severity(), f.toString());
    assertTrue(f.check().contains("used by alert DoctorHighErrorRate"), f.check());
    assertTrue(f.cause().contains("has no label status; its series carry code (code=~\"5..\" matches)"), f.cause());
    assertEquals("backend.labels.status: code", f.remedy());
  }

  @Test
  void notifyTestReportsEachReceiverFromAlertmanagersOwnCounters() {
    int failedBefore = failingCalls.get();
    int goodBefore = goodCalls.get();
    List<Finding> all = doctor().notifyTest();
    Finding pager = find(all, "notify test: receiver pager via webhook");
    Finding chat = find(all, "notify test: receiver chat via webhook");
    assertEquals(Severity.ERROR, pager.severity(), new DoctorReport(all).text() + "\n"
        + String.join("\n", new HostLogs(logs).tail("alertmanager", 6)));
    // Alertmanager retries a 5xx with back-off, so there may be more than one failed attempt by now
    assertTrue(pager.evidence().matches(".*alertmanager_notification_requests_failed_total \\+[1-9].*"),
        pager.evidence());
    assertTrue(pager.cause().startsWith("the test notification to pager failed"), pager.cause());
    assertEquals(Severity.INFO, chat.severity(), chat.toString());
    assertTrue(failingCalls.get() > failedBefore && goodCalls.get() > goodBefore, "the hooks were called");
    assertFalse(all.stream().anyMatch(f -> f.check().contains("receiver default")), "no notifier, no test");
    List<io.keikomon.api.AlertmanagerModel.Alert> left = alertmanager.alerts("keiko_doctor=\"notify-test\"");
    assertTrue(left.stream().allMatch(a -> !a.endsAt().isAfter(Instant.now())), "the test alerts are resolved");
  }

  private static void await(String what, BooleanSupplier check) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        if (check.getAsBoolean()) {
          return;
        }
      } catch (ApiException e) {
        // not up yet
      }
      if (Instant.now().isAfter(end)) {
        StringBuilder b = new StringBuilder();
        for (String service : List.of("alertmanager", "prometheus")) {
          b.append("\n--- ").append(service).append('\n')
              .append(String.join("\n", new HostLogs(logs).tail(service, 15)));
        }
        throw new AssertionError(what + ": not within 60 s" + b);
      }
      Thread.sleep(200);
    }
  }
}
