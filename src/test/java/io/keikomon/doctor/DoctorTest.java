package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.DirectTransport;
import io.keikomon.api.PrometheusClient;
import io.keikomon.content.HostServices;
import io.keikomon.testing.PrometheusStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Doctor's metrics chain against {@link PrometheusStandIn} fed with the lastError strings Prometheus 2.x writes. */
class DoctorTest {
  private PrometheusStandIn standIn;

  @BeforeEach
  void start() {
    standIn = new PrometheusStandIn();
    standIn.start();
    for (String gauge : List.of("pg_up", "redis_up", "probe_success", "probe_http_status_code")) {
      standIn.setVector(gauge, Map.of());
    }
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private List<Finding> metrics(boolean inContainer) {
    PrometheusClient client = new PrometheusClient(DirectTransport.builder(standIn.host(), standIn.port()).build());
    return new Doctor(client, Optional.empty(), inContainer).check(Set.of(Symptom.METRICS));
  }

  private Finding target(List<Finding> findings, String instance) {
    return findings.stream().filter(f -> f.check().endsWith(" " + instance)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding for " + instance + " in " + findings));
  }

  @Test
  void aHealthyTargetIsOk() {
    standIn.addTarget("backend", "backend:8000", true, "");
    List<Finding> f = metrics(true);
    assertEquals(Severity.INFO, target(f, "backend:8000").severity());
    assertTrue(new DoctorReport(f).ok(), f.toString());
  }

  @Test
  void connectionRefusedNamesTheKeyAndTheListenAddress() {
    standIn.addTarget("backend", "host.docker.internal:8000", false,
        "Get \"http://host.docker.internal:8000/metrics\": dial tcp 172.17.0.1:8000: connect: connection refused");
    Finding f = target(metrics(true), "host.docker.internal:8000");
    assertEquals(Severity.ERROR, f.severity());
    assertTrue(f.remedy().startsWith("backend.targets: host.docker.internal:8000 refused the connection"), f.remedy());
    assertTrue(f.remedy().contains("0.0.0.0"), f.remedy());
    assertTrue(f.evidence().contains("connection refused"));
  }

  @Test
  void localhostInsideTheContainerIsNamedAsSuch() {
    standIn.addTarget("backend", "localhost:8000", false,
        "Get \"http://localhost:8000/metrics\": dial tcp 127.0.0.1:8000: connect: connection refused");
    Finding f = target(metrics(true), "localhost:8000");
    assertTrue(f.cause().contains("inside Prometheus' container `localhost` is the container itself"), f.cause());
    assertTrue(f.remedy().startsWith("backend.targets: use host.docker.internal:8000"), f.remedy());
    // Prometheus on the host: localhost is the host, so the same error is a plain refused connection.
    Finding onHost = target(metrics(false), "localhost:8000");
    assertTrue(onHost.cause().contains("refused the connection"), onHost.cause());
  }

  @Test
  void dnsTimeoutAndStatusErrorsAreClassified() {
    standIn.addTarget("backend", "bakend:8000", false,
        "Get \"http://bakend:8000/metrics\": dial tcp: lookup bakend on 127.0.0.11:53: no such host");
    standIn.addTarget("backend", "slow:8000", false,
        "Get \"http://slow:8000/metrics\": context deadline exceeded");
    standIn.addTarget("backend", "nopath:8000", false, "server returned HTTP status 404 Not Found");
    standIn.addTarget("backend", "auth:8000", false, "server returned HTTP status 401 Unauthorized");
    standIn.addTarget("payments", "tls:8443", false,
        "Get \"https://tls:8443/metrics\": x509: certificate signed by unknown authority");
    standIn.addTarget("payments", "big:9000", false, "body size limit exceeded");
    standIn.addTarget("payments", "many:9000", false, "sample limit exceeded");
    List<Finding> all = metrics(true);
    assertTrue(target(all, "bakend:8000").cause().contains("host name bakend does not resolve"));
    assertTrue(target(all, "slow:8000").cause().contains("did not answer within the scrape timeout 10s"));
    Finding notFound = target(all, "nopath:8000");
    assertTrue(notFound.cause().contains("no metrics at /metrics (HTTP 404)"), notFound.cause());
    assertTrue(notFound.remedy().startsWith("backend.metrics_path:"), notFound.remedy());
    assertTrue(target(all, "auth:8000").cause().contains("(HTTP 401)"));
    Finding tls = target(all, "tls:8443");
    assertTrue(tls.cause().startsWith("TLS"), tls.cause());
    assertTrue(tls.remedy().startsWith("extra_targets (job payments).scheme"), tls.remedy());
    assertTrue(target(all, "big:9000").cause().contains("body_size_limit"));
    assertTrue(target(all, "many:9000").cause().contains("sample_limit"));
    assertFalse(new DoctorReport(all).ok());
  }

  @Test
  void exporterGaugesBehindAnUpTarget() {
    standIn.addTarget("postgres", "postgres-exporter:9187", true, "");
    standIn.setVector("pg_up", Map.of("postgres-exporter:9187", "0"));
    standIn.setVector("redis_up", Map.of("redis-exporter:9121", "1"));
    standIn.setVector("probe_success", Map.of("http://backend:8000/health/ready", "0"));
    standIn.setVector("probe_http_status_code", Map.of("http://backend:8000/health/ready", "503"));
    List<Finding> all = metrics(true);
    Finding pg = target(all, "postgres-exporter:9187");
    assertEquals(Severity.INFO, pg.severity()); // the exporter's target answers...
    Finding pgUp = all.stream().filter(f -> f.evidence().startsWith("pg_up")).findFirst().orElseThrow();
    assertEquals(Severity.ERROR, pgUp.severity()); // ...but it cannot reach PostgreSQL
    assertTrue(pgUp.remedy().contains("POSTGRES_PASSWORD"), pgUp.remedy());
    assertEquals(Severity.INFO, all.stream().filter(f -> f.evidence().startsWith("redis_up")).findFirst()
        .orElseThrow().severity());
    Finding probe = all.stream().filter(f -> f.evidence().startsWith("probe_success")).findFirst().orElseThrow();
    assertTrue(probe.cause().contains("answered HTTP 503"), probe.cause());
  }

  @Test
  void aFailedReloadIsAFinding() {
    standIn.setReloadConfigSuccess(false);
    Finding reload = metrics(true).get(0);
    assertEquals(Severity.ERROR, reload.severity());
    assertTrue(reload.remedy().contains("keiko-mon validate"));
  }

  @Test
  void unreachablePrometheusIsOneFindingAndStopsTheChain() {
    int closed = HostServices.freePort();
    PrometheusClient client = new PrometheusClient(DirectTransport.builder("127.0.0.1", closed)
        .connectTimeout(Duration.ofSeconds(1)).build());
    List<Finding> f = new Doctor(client, Optional.empty(), true).check(Set.of());
    assertEquals(1, f.size(), f.toString());
    assertTrue(f.get(0).cause().contains("nothing listens on Prometheus's published port"), f.get(0).cause());
    assertTrue(f.get(0).evidence().contains("connection refused"), f.get(0).evidence());
  }

  @Test
  void noRuleAtAllIsAnError() {
    PrometheusClient client = new PrometheusClient(DirectTransport.builder(standIn.host(), standIn.port()).build());
    List<Finding> alerts = new Doctor(client, Optional.empty(), true).check(Set.of(Symptom.ALERTS));
    assertTrue(alerts.stream().anyMatch(f -> f.severity() == Severity.ERROR && f.check().equals("alert rules loaded")),
        alerts.toString());
  }

  @Test
  void jsonHasTheIssuesShape() throws Exception {
    standIn.addTarget("backend", "nopath:8000", false, "server returned HTTP status 404 Not Found");
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new DoctorReport(metrics(true)).json());
    assertFalse(root.get("ok").asBoolean());
    var first = root.get("findings").get(0);
    for (String field : List.of("id", "severity", "component", "cause", "evidence", "remedy", "explains")) {
      assertTrue(first.has(field), field + " in " + first);
    }
    assertEquals("error", first.get("severity").asText(), first.toString());
    assertEquals("backend", first.get("component").asText());
    assertEquals("target-backend-nopath-8000", first.get("id").asText());
    assertTrue(first.get("remedy").asText().startsWith("backend.metrics_path:"), first.toString());
    assertTrue(first.get("explains").isArray());
  }

  @Test
  void errorsComeFirstAndConsequencesFollowTheirCause() {
    Finding ok = Finding.ok(Symptom.METRICS, "prometheus", "config loaded", "true");
    Finding panel = Finding.warning(Symptom.NO_DATA, "grafana", "panel x", "empty", "no data", "-");
    Finding other = Finding.warning(Symptom.METRICS, "series", "series y", "empty", "never existed", "-");
    Finding down = Finding.error(Symptom.METRICS, "backend", "target backend b:8000", "refused", "refused", "start it")
        .explaining(List.of(panel.id()));
    DoctorReport r = new DoctorReport(List.of(ok, panel, other, down));
    assertEquals(List.of(down.id(), panel.id(), other.id(), ok.id()), r.findings().stream().map(Finding::id).toList());
    List<String> text = r.text();
    assertTrue(text.get(0).startsWith("error   metrics  target backend b:8000"), text.toString());
    assertTrue(text.stream().anyMatch(l -> l.contains("↳ panel x: no data (a consequence of the above)")),
        text.toString());
  }

  @Test
  void logReasonsRedactPasswordsAndPickTheErrorLine() {
    List<String> lines = List.of(
        "ts=2026-12-01T10:00:00Z caller=main.go:1 level=info msg=\"Listening on\" address=:9187",
        "ts=2026-12-01T10:00:01Z caller=exporter.go:2 level=error msg=\"Error opening connection to database\""
            + " dsn=\"postgresql://keiko:s3cret@postgres:5432/keiko?sslmode=disable\" err=\"pq: password"
            + " authentication failed for user \\\"keiko\\\"\"",
        "ts=2026-12-01T10:00:02Z caller=main.go:3 level=info msg=\"scrape done\"");
    String reason = LogReasons.reason(lines).orElseThrow();
    assertEquals("Error opening connection to database: pq: password authentication failed for user \"keiko\"",
        reason);
    String redacted = LogReasons.redact(lines.get(1));
    assertFalse(redacted.contains("s3cret"), redacted);
    assertTrue(redacted.contains("postgresql://keiko:***@postgres:5432"), redacted);
    assertEquals("REDIS_PASSWORD=*** password: ***", LogReasons.redact("REDIS_PASSWORD=hunter2 password: x"));
    assertEquals("NOAUTH Authentication required.", LogReasons.reason(List.of("ok", "NOAUTH Authentication required."))
        .orElseThrow());
  }
}
