package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.AlertmanagerModel.Alert;
import io.keikomon.api.AlertmanagerModel.Matcher;
import io.keikomon.api.AlertmanagerModel.PostableAlert;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.testing.AlertmanagerStandIn;
import io.keikomon.testing.HttpStandIn.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AlertmanagerClient against {@link AlertmanagerStandIn}. */
class AlertmanagerClientTest {
  private AlertmanagerStandIn standIn;
  private AlertmanagerClient client;

  @BeforeEach
  void start() {
    standIn = new AlertmanagerStandIn();
    standIn.start();
    client = new AlertmanagerClient(DirectTransport.builder(standIn.host(), standIn.port()).build());
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void statusAndReceivers() {
    AlertmanagerModel.Status s = client.status();
    assertEquals("disabled", s.cluster().status());
    assertEquals("0.34.0-standin", s.versionInfo().version());
    assertTrue(s.config().original().contains("receiver: team"));
    assertEquals(Instant.parse("2026-12-01T10:00:00Z"), s.uptime());
    assertEquals("team", client.receivers().get(0).name());
  }

  @Test
  void failedReloadIs500WithAlertmanagerReason() {
    standIn.failReloads("undefined receiver \"nowhere\" used in route");
    ApiException e = assertThrows(ApiException.class, client::reload);
    assertEquals("reload Alertmanager configuration failed: POST " + standIn.uri("/-/reload")
        + " answered HTTP 500 Internal Server Error: failed to reload config: undefined receiver \"nowhere\" used in"
        + " route", e.getMessage());
  }

  @Test
  void postedAlertsAreSuppressedBySilences() {
    client.postAlerts(List.of(PostableAlert.of(Map.of("alertname", "BackendDown"), Map.of("summary", "down"))));
    Alert a = client.alerts("alertname=\"BackendDown\"").get(0);
    assertEquals("active", a.status().state());
    assertTrue(standIn.requests().contains("GET /api/v2/alerts?filter=alertname%3D%22BackendDown%22"),
        standIn.requests().toString());
    Instant now = Instant.now();
    String id = client.createSilence(new PostableSilence(null, List.of(Matcher.equal("alertname", "BackendDown")),
        now, now.plus(Duration.ofHours(2)), "keiko-mon", "maintenance"));
    Alert silenced = client.alerts().get(0);
    assertEquals("suppressed", silenced.status().state());
    assertEquals(List.of(id), silenced.status().silencedBy());
    assertTrue(client.silence(id).active());
    client.expireSilence(id);
    assertEquals("expired", client.silences().get(0).status().state());
  }

  @Test
  void unknownSilenceIs404AndAPastEndIs400() {
    ApiException e = assertThrows(ApiException.class, () -> client.expireSilence("4c1c-unknown"));
    assertEquals("expire Alertmanager silence 4c1c-unknown failed: DELETE " + standIn.uri("/api/v2/silence/4c1c-unknown")
        + " answered HTTP 404 Not Found", e.getMessage());
    Instant past = Instant.now().minusSeconds(60);
    ApiException p = assertThrows(ApiException.class, () -> client.createSilence(new PostableSilence(null,
        List.of(Matcher.equal("alertname", "X")), past.minusSeconds(60), past, "keiko-mon", "too late")));
    assertTrue(p.hasStatus(400));
    assertTrue(p.getMessage().contains("end time can't be in the past"), p.getMessage());
  }

  @Test
  void alertsCutOffMidAnswerAreNotTakenForAnEmptyList() {
    client.postAlerts(List.of(PostableAlert.of(Map.of("alertname", "A"), null)));
    standIn.breakWith(new Fault.CloseMidResponse());
    ApiException e = assertThrows(ApiException.class, client::alerts);
    assertEquals(ApiException.Failure.CLOSED, e.failure().orElseThrow(), e.getMessage());
    assertTrue(e.status().isEmpty());
  }

  @Test
  void basicAuthFromAWebConfig() {
    standIn.requireBasicAuth(Map.of("keiko", "pw"));
    ApiException e = assertThrows(ApiException.class, client::ready);
    assertEquals("check Alertmanager readiness failed: GET " + standIn.uri("/-/ready")
        + " answered HTTP 401 Unauthorized: Unauthorized", e.getMessage());
    AlertmanagerClient authed = new AlertmanagerClient(DirectTransport.builder(standIn.host(), standIn.port())
        .basicAuth(new BasicAuth("keiko", () -> "pw")).build());
    assertTrue(authed.ready());
  }
}
