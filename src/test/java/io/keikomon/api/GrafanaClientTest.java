package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.api.GrafanaModel.Datasource;
import io.keikomon.api.GrafanaModel.SearchHit;
import io.keikomon.testing.GrafanaStandIn;
import io.keikomon.testing.HttpStandIn;
import io.keikomon.testing.HttpStandIn.Fault;
import io.keikomon.testing.PrometheusStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GrafanaClient against {@link GrafanaStandIn}: what keiko-mon sees of Grafana, failures included. */
class GrafanaClientTest {
  private static final String PASSWORD = "s3cret-admin";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path provisioning;
  private GrafanaStandIn grafana;
  private GrafanaClient client;

  @BeforeEach
  void start() throws Exception {
    provisioning = Files.createDirectories(dir.resolve("provisioning"));
    writeDatasources("http://prometheus:9090", "15s");
    Files.createDirectories(provisioning.resolve("dashboards"));
    Files.writeString(provisioning.resolve("dashboards/keiko.yaml"), """
        apiVersion: 1
        providers:
          - {name: keiko, folder: Keiko, folderUid: keiko, type: file, options: {path: json}}
        """);
    Files.createDirectories(provisioning.resolve("json"));
    Files.writeString(provisioning.resolve("json/node.json"),
        "{\"uid\":\"keiko-node\",\"title\":\"Node\",\"tags\":[\"keiko\"],\"panels\":[]}");
    grafana = new GrafanaStandIn(provisioning, PASSWORD);
    grafana.start();
    client = client(BasicAuth.fromSecretFile("admin", secret(PASSWORD)), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  @Test
  void healthNeedsNoCredentials() {
    assertEquals(GrafanaStandIn.VERSION, client(null, Duration.ofSeconds(5)).health().version());
    assertEquals("ok", client.health().database());
  }

  @Test
  void missingCredentialsAre401NamingActionUrlAndBody() {
    ApiException e = assertThrows(ApiException.class, () -> client(null, Duration.ofSeconds(5)).datasources());
    assertEquals(401, e.status().getAsInt());
    assertEquals("read Grafana datasources failed: GET " + grafana.uri("/api/datasources")
        + " answered HTTP 401 Unauthorized: {\"message\":\"Unauthorized\"}", e.getMessage());
    assertTrue(e.hint().contains("credentials"), e.hint());
    assertTrue(e.failure().isEmpty());
  }

  @Test
  void passwordIsReadFromTheSecretFileAtEachRequest() throws Exception {
    Path file = secret("wrong");
    GrafanaClient c = client(BasicAuth.fromSecretFile("admin", file), Duration.ofSeconds(5));
    ApiException e = assertThrows(ApiException.class, () -> c.datasource("prometheus"));
    assertTrue(e.getMessage().contains("HTTP 401 Unauthorized: {\"message\":\"Invalid username or password\"}"),
        e.getMessage());
    Files.writeString(file, PASSWORD + "\n");
    assertEquals("Prometheus", c.datasource("prometheus").name());
  }

  @Test
  void unknownUidIs404() {
    ApiException e = assertThrows(ApiException.class, () -> client.dashboard("no-such-uid"));
    assertTrue(e.hasStatus(404));
    assertEquals("read Grafana dashboard no-such-uid failed: GET " + grafana.uri("/api/dashboards/uid/no-such-uid")
        + " answered HTTP 404 Not Found: {\"message\":\"Dashboard not found\"}", e.getMessage());
    ApiException ds = assertThrows(ApiException.class, () -> client.datasource("nope"));
    assertTrue(ds.getMessage().contains("Data source not found"), ds.getMessage());
  }

  @Test
  void provisionedDashboardCarriesMetaAndRefusesApiSave() {
    Dashboard d = client.dashboard("keiko-node");
    assertTrue(d.meta().provisioned());
    assertEquals("keiko", d.meta().folderUid());
    assertEquals("Node", d.title());
    assertEquals(1, d.version());
    ObjectNode changed = ((ObjectNode) d.dashboard()).put("title", "Node (edited)");
    ApiException e = assertThrows(ApiException.class, () -> client.saveDashboard(changed, "keiko", true, "edit"));
    assertTrue(e.hasStatus(400));
    assertTrue(e.getMessage().startsWith("save Grafana dashboard keiko-node failed: POST "
        + grafana.uri("/api/dashboards/db") + " answered HTTP 400 Bad Request: "), e.getMessage());
    assertTrue(e.getMessage().contains("Cannot save provisioned dashboard"), e.getMessage());
    assertEquals("Node", client.dashboard("keiko-node").title());
  }

  @Test
  void apiDashboardSavesBumpTheVersionAndStaleSavesAre412() throws Exception {
    ObjectNode dash = (ObjectNode) JSON.readTree("{\"uid\":\"mine\",\"title\":\"Mine\",\"id\":null}");
    GrafanaModel.SaveResult first = client.saveDashboard(dash, "keiko", false, "first");
    assertEquals("success", first.status());
    assertEquals(1, first.version());
    assertEquals("/d/mine/mine", first.url());
    Dashboard read = client.dashboard("mine");
    assertFalse(read.meta().provisioned());
    assertEquals("keiko", read.meta().folderUid());
    ObjectNode next = ((ObjectNode) read.dashboard()).put("title", "Mine 2");
    assertEquals(2, client.saveDashboard(next, "keiko", false, "second").version());
    ApiException stale = assertThrows(ApiException.class, () -> client.saveDashboard(next, "keiko", false, "stale"));
    assertTrue(stale.hasStatus(412));
    assertTrue(stale.getMessage().contains("version-mismatch"), stale.getMessage());
    assertEquals(3, client.saveDashboard(next, "keiko", true, "forced").version());
  }

  @Test
  void searchIsPagedAndFoldersAreNested() throws Exception {
    for (String uid : List.of("a", "b")) {
      client.saveDashboard((ObjectNode) JSON.readTree("{\"uid\":\"" + uid + "\",\"title\":\"" + uid + "\"}"),
          null, false, null);
    }
    assertEquals(List.of("a", "b"), client.searchDashboards(2, 1).stream().map(SearchHit::uid).toList());
    List<SearchHit> page2 = client.searchDashboards(2, 2);
    assertEquals(List.of("keiko-node"), page2.stream().map(SearchHit::uid).toList());
    assertEquals("keiko", page2.get(0).folderUid());
    assertEquals(3, client.allDashboards().size());
    assertTrue(grafana.requests().contains("GET /api/search?type=dash-db&limit=2&page=2"), grafana.requests().toString());

    grafana.addFolder("team", "Team", null);
    grafana.addFolder("team-db", "Databases", "team");
    assertEquals(List.of("keiko", "team"), client.folders().stream().map(GrafanaModel.Folder::uid).toList());
    GrafanaModel.Folder child = client.folders("team").get(0);
    assertEquals("team-db", child.uid());
    assertEquals("team", child.parentUid());
    assertEquals(3, client.searchFolders(10, 1).size());
  }

  @Test
  void provisioningReloadIsVerifiedByReadingTheDatasourceBack() throws Exception {
    Datasource before = client.datasource("prometheus");
    assertEquals("http://prometheus:9090", before.url());
    assertTrue(before.isDefault());
    assertTrue(before.readOnly());
    writeDatasources("http://prometheus:9091", "30s");
    assertEquals("http://prometheus:9090", client.datasource("prometheus").url(), "not before the reload");
    client.reloadDatasourceProvisioning();
    Datasource after = client.datasource("prometheus");
    assertEquals("http://prometheus:9091", after.url());
    assertEquals("30s", after.jsonData().path("timeInterval").asText());
    assertEquals(before.id(), after.id());

    Files.writeString(provisioning.resolve("json/redis.json"), "{\"uid\":\"keiko-redis\",\"title\":\"Redis\"}");
    client.reloadDashboardProvisioning();
    assertTrue(client.dashboard("keiko-redis").meta().provisioned());
  }

  @Test
  void brokenProvisioningFileIs500WithTheReasonAndChangesNothing() throws Exception {
    Files.writeString(provisioning.resolve("datasources/broken.yaml"), "datasources: [ {name: x\n");
    ApiException e = assertThrows(ApiException.class, client::reloadDatasourceProvisioning);
    assertEquals(500, e.status().getAsInt());
    assertTrue(e.getMessage().startsWith("reload Grafana datasource provisioning failed: POST "
        + grafana.uri("/api/admin/provisioning/datasources/reload") + " answered HTTP 500 Internal Server Error: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("Failed to reload datasources config") && e.getMessage().contains("broken.yaml"),
        e.getMessage());
    assertTrue(e.hint().contains("logs"), e.hint());
    assertEquals("http://prometheus:9090", client.datasource("prometheus").url());
  }

  @Test
  void datasourceHealthReportsAFailingCheckAsAnAnswer() throws Exception {
    try (HttpStandIn prometheus = new PrometheusStandIn().start()) {
      writeDatasources("http://127.0.0.1:" + prometheus.port(), "15s");
      client.reloadDatasourceProvisioning();
      assertTrue(client.datasourceHealth("prometheus").ok());
    }
    GrafanaModel.DatasourceHealth down = client.datasourceHealth("prometheus");
    assertFalse(down.ok());
    assertEquals("ERROR", down.status());
    ApiException e = assertThrows(ApiException.class, () -> client.datasourceHealth("nope"));
    assertTrue(e.hasStatus(404));
  }

  @Test
  void slowAnswerBeyondTheRequestTimeoutIsATimeoutNotAStatus() {
    grafana.breakWith(new Fault.Slow(Duration.ofSeconds(3)));
    GrafanaClient impatient = client(BasicAuth.fromSecretFile("admin", secret(PASSWORD)), Duration.ofMillis(300));
    ApiException e = assertThrows(ApiException.class, impatient::datasources);
    assertEquals(ApiException.Failure.TIMEOUT, e.failure().orElseThrow());
    assertTrue(e.status().isEmpty());
    assertEquals("read Grafana datasources failed: GET " + grafana.uri("/api/datasources")
        + ": timed out (no complete answer within 300 ms)", e.getMessage());
  }

  @Test
  void connectionClosedMidResponseIsClosed() {
    grafana.breakWith(new Fault.CloseMidResponse());
    ApiException e = assertThrows(ApiException.class, client::datasources);
    assertEquals(ApiException.Failure.CLOSED, e.failure().orElseThrow(), e.getMessage());
    assertTrue(e.getMessage().startsWith("read Grafana datasources failed: GET " + grafana.uri("/api/datasources")
        + ": connection closed before a complete answer"), e.getMessage());
  }

  @Test
  void stoppedGrafanaIsRefused() {
    grafana.close();
    ApiException e = assertThrows(ApiException.class, client::health);
    assertEquals(ApiException.Failure.REFUSED, e.failure().orElseThrow(), e.getMessage());
    assertEquals("check Grafana health failed: GET " + grafana.uri("/api/health") + ": connection refused",
        e.getMessage());
    assertTrue(e.hint().contains("nothing listens on http://127.0.0.1:" + grafana.port()), e.hint());
  }

  private GrafanaClient client(BasicAuth auth, Duration requestTimeout) {
    return new GrafanaClient(DirectTransport.builder(grafana.host(), grafana.port()).basicAuth(auth)
        .requestTimeout(requestTimeout).build());
  }

  private Path secret(String password) {
    try {
      return Files.writeString(Files.createTempFile(dir, "admin", ".secret"), password + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void writeDatasources(String url, String interval) throws Exception {
    Files.createDirectories(provisioning.resolve("datasources"));
    Files.writeString(provisioning.resolve("datasources/datasources.yaml"), """
        apiVersion: 1
        prune: true
        datasources:
          - {name: Prometheus, type: prometheus, uid: prometheus, access: proxy, url: "%s", isDefault: true,
             jsonData: {httpMethod: POST, timeInterval: %s}, editable: false}
          - {name: Alertmanager, type: alertmanager, uid: alertmanager, url: "http://alertmanager:9093",
             jsonData: {implementation: prometheus}}
        """.formatted(url, interval));
  }
}
