package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Target;
import io.keikomon.testing.HttpStandIn.Answer;
import io.keikomon.testing.HttpStandIn.Fault;
import io.keikomon.testing.PrometheusStandIn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PrometheusClient against {@link PrometheusStandIn}: the states a healthy test Prometheus rarely shows. */
class PrometheusClientTest {
  private PrometheusStandIn standIn;
  private PrometheusClient client;

  @BeforeEach
  void start() {
    standIn = new PrometheusStandIn();
    standIn.start();
    client = new PrometheusClient(DirectTransport.builder(standIn.host(), standIn.port()).build());
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void notReadyYetIsFalseNotAnError() {
    standIn.setReady(false);
    assertFalse(client.ready());
    assertTrue(client.healthy());
    standIn.setReady(true);
    assertTrue(client.ready());
  }

  @Test
  void probeAnsweringAnotherStatusIsAnError() {
    standIn.breakWith(new Fault.Fixed(Answer.text(404, "404 page not found\n")));
    ApiException e = assertThrows(ApiException.class, client::ready);
    assertEquals("check Prometheus readiness failed: GET " + standIn.uri("/-/ready")
        + " answered HTTP 404 Not Found: 404 page not found", e.getMessage());
  }

  @Test
  void reloadWithoutTheLifecycleFlagIs403WithPrometheusReason() {
    standIn.setLifecycleEnabled(false);
    ApiException e = assertThrows(ApiException.class, client::reload);
    assertEquals("reload Prometheus configuration failed: POST " + standIn.uri("/-/reload")
        + " answered HTTP 403 Forbidden: Lifecycle API is not enabled.", e.getMessage());
    standIn.setLifecycleEnabled(true);
    Instant before = Instant.now().minusSeconds(1);
    client.reload();
    assertTrue(client.runtimeInfo().lastConfigTime().isAfter(before));
  }

  @Test
  void basicAuthFromAWebConfig() {
    standIn.requireBasicAuth(Map.of("keiko", "pw"));
    ApiException e = assertThrows(ApiException.class, client::targets);
    assertEquals("read Prometheus targets failed: GET " + standIn.uri("/api/v1/targets")
        + " answered HTTP 401 Unauthorized: Unauthorized", e.getMessage());
    PrometheusClient authed = new PrometheusClient(DirectTransport.builder(standIn.host(), standIn.port())
        .basicAuth(new BasicAuth("keiko", () -> "pw")).build());
    assertTrue(authed.targets().activeTargets().isEmpty());
  }

  @Test
  void targetsCarryHealthAndLastError() {
    standIn.addTarget("node", "node-exporter:9100", true, "");
    standIn.addTarget("backend", "host.docker.internal:8000", false,
        "Get \"http://host.docker.internal:8000/metrics\": dial tcp: connect: connection refused");
    List<Target> t = client.targets().activeTargets();
    assertTrue(t.get(0).up());
    assertFalse(t.get(1).up());
    assertTrue(t.get(1).lastError().endsWith("connection refused"));
    assertEquals(Instant.parse("2026-12-01T10:00:05.123456789Z"), t.get(1).lastScrape());
    assertEquals("backend", t.get(1).labels().get("job"));
  }

  @Test
  void queryResultsAndTheErrorEnvelope() {
    standIn.addTarget("node", "node-exporter:9100", true, "");
    QueryResult scalar = client.query("1+1");
    assertEquals("scalar", scalar.resultType());
    assertEquals(2.0, scalar.single());
    assertTrue(scalar.samples().get(0).metric().isEmpty());
    QueryResult vector = client.query("up", Instant.parse("2026-12-01T10:00:00.5Z"));
    assertEquals(Map.of("__name__", "up", "job", "node", "instance", "node-exporter:9100"),
        vector.samples().get(0).metric());
    assertTrue(standIn.requests().contains("GET /api/v1/query?query=up&time=1796119200.5"), standIn.requests()
        .toString());
    ApiException e = assertThrows(ApiException.class, () -> client.query("rate(x[5m]"));
    assertTrue(e.hasStatus(400));
    assertTrue(e.getMessage().startsWith("run Prometheus query `rate(x[5m]` failed: GET " + standIn.uri(
        "/api/v1/query?query=rate%28x%5B5m%5D") + " answered HTTP 400 Bad Request: {"), e.getMessage());
    assertTrue(e.getMessage().contains("\"errorType\":\"bad_data\""), e.getMessage());
  }

  @Test
  void anAnswerNotInTheDocumentedShapeIsNamedAsSuch() {
    standIn.breakWith(new Fault.Fixed(Answer.text(200, "<html>login</html>")));
    ApiException e = assertThrows(ApiException.class, client::runtimeInfo);
    assertEquals(ApiException.Failure.BAD_ANSWER, e.failure().orElseThrow());
    assertTrue(e.getMessage().startsWith("read Prometheus runtime info failed: GET "
        + standIn.uri("/api/v1/status/runtimeinfo") + " answered HTTP 200 but the body is not JSON"), e.getMessage());
    assertTrue(e.getMessage().endsWith(": <html>login</html>"), e.getMessage());
  }
}
