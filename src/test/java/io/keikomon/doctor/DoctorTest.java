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
    assertEquals(Severity.OK, target(f, "backend:8000").severity());
    assertTrue(new DoctorReport(f).ok(), f.toString());
  }

  @Test
  void connectionRefusedNamesTheKeyAndTheListenAddress() {
    standIn.addTarget("backend", "host.docker.internal:8000", false,
        "Get \"http://host.docker.internal:8000/metrics\": dial tcp 172.17.0.1:8000: connect: connection refused");
    Finding f = target(metrics(true), "host.docker.internal:8000");
    assertEquals(Severity.FAIL, f.severity());
    assertTrue(f.fix().startsWith("backend.targets: host.docker.internal:8000 refused the connection"), f.fix());
    assertTrue(f.fix().contains("0.0.0.0"), f.fix());
    assertTrue(f.evidence().contains("connection refused"));
  }

  @Test
  void localhostInsideTheContainerIsNamedAsSuch() {
    standIn.addTarget("backend", "localhost:8000", false,
        "Get \"http://localhost:8000/metrics\": dial tcp 127.0.0.1:8000: connect: connection refused");
    Finding f = target(metrics(true), "localhost:8000");
    assertTrue(f.cause().contains("inside Prometheus' container `localhost` is the container itself"), f.cause());
    assertTrue(f.fix().startsWith("backend.targets: use host.docker.internal:8000"), f.fix());
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
    assertTrue(notFound.fix().startsWith("backend.metrics_path:"), notFound.fix());
    assertTrue(target(all, "auth:8000").cause().contains("(HTTP 401)"));
    Finding tls = target(all, "tls:8443");
    assertTrue(tls.cause().startsWith("TLS"), tls.cause());
    assertTrue(tls.fix().startsWith("extra_targets (job payments).scheme"), tls.fix());
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
    assertEquals(Severity.OK, pg.severity()); // the exporter's target answers...
    Finding pgUp = all.stream().filter(f -> f.evidence().startsWith("pg_up")).findFirst().orElseThrow();
    assertEquals(Severity.FAIL, pgUp.severity()); // ...but it cannot reach PostgreSQL
    assertTrue(pgUp.fix().contains("POSTGRES_PASSWORD"), pgUp.fix());
    assertEquals(Severity.OK, all.stream().filter(f -> f.evidence().startsWith("redis_up")).findFirst()
        .orElseThrow().severity());
    Finding probe = all.stream().filter(f -> f.evidence().startsWith("probe_success")).findFirst().orElseThrow();
    assertTrue(probe.cause().contains("answered HTTP 503"), probe.cause());
  }

  @Test
  void aFailedReloadIsAFinding() {
    standIn.setReloadConfigSuccess(false);
    Finding reload = metrics(true).get(0);
    assertEquals(Severity.FAIL, reload.severity());
    assertTrue(reload.fix().contains("keiko-mon validate"));
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
  void jsonCarriesEveryField() {
    standIn.addTarget("backend", "nopath:8000", false, "server returned HTTP status 404 Not Found");
    String json = new DoctorReport(metrics(true)).json();
    assertTrue(json.contains("\"ok\" : false"), json);
    assertTrue(json.contains("\"severity\" : \"fail\""), json);
    assertTrue(json.contains("\"fix\" : \"backend.metrics_path:"), json);
  }
}
