package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.cli.Services;
import io.keikomon.content.HostServices;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.stack.StackLabels;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.DemoBackend;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestStacks;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code keiko-mon doctor no-data} on a running stack of the test images with the default security (HTTPS and basic
 * auth to Prometheus); <b>Grafana is the stand-in</b> (TestImages GRAFANA_STANDIN), so this proves what doctor asks
 * of Grafana and concludes from the answers, not what Grafana does. The fault: keiko.yml declares a custom metric the
 * backend does not export, so its generated panel shows "No data".
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoctorNoDataDockerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final String project = "kmnodata" + UUID.randomUUID().toString().substring(0, 6);
  DockerGateway docker;
  DemoBackend backend;
  int grafanaPort;
  Path dir;

  @BeforeAll
  void stack() throws Exception {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(System.getenv()));
    TestImages.ensureAll(docker);
    backend = new DemoBackend("0.0.0.0", DemoBackend.DEFAULT_LABELS).start(0);
    for (int i = 0; i < 20; i++) {
      backend.recordRequest("GET", "/api/chat", i % 10 == 0 ? 500 : 200, 0.05);
    }
    grafanaPort = HostServices.freePort();
    dir = Files.createTempDirectory("keiko-doctor-nodata");
    Files.writeString(dir.resolve("keiko.yml"), """
        version: 1
        project: %s
        ports: {prometheus: %d, alertmanager: %d, grafana: %d}
        prometheus: {scrape_interval: 1s, evaluation_interval: 1s}
        components: {node-exporter: false}
        backend:
          targets: [host.docker.internal:%d]
          health_url: http://host.docker.internal:%d
        postgres: {enabled: false}
        redis: {enabled: false}
        tracing: {enabled: false}
        alerting: {none: true}
        custom_metrics:
          - {name: orders_placed_total, type: counter, help: "Orders placed", labels: [status]}
        """.formatted(project, HostServices.freePort(), HostServices.freePort(), grafanaPort, backend.port(),
        backend.port()) + TestImages.imagesOverride());
    CliHarness.Result up = keikoMon("up", "--timeout", "3m");
    assertEquals(0, up.exitCode(), up.toString());
  }

  @AfterAll
  void tearDown() throws IOException {
    if (docker != null) {
      TestStacks.removeProject(docker, project);
      docker.close();
    }
    if (backend != null) {
      backend.stop();
    }
    if (dir != null) {
      TestStacks.deleteTree(dir);
    }
  }

  CliHarness.Result keikoMon(String... args) {
    return TestStacks.keikoMon(dir, args);
  }

  @Test
  void namesThePanelOfAMetricTheBackendDoesNotExportAfterReadingGrafanasDatasourcesAndDashboards() throws Exception {
    // the first scrapes and rule evaluations may still be on their way
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    List<JsonNode> findings;
    while (true) {
      CliHarness.Result r = keikoMon("doctor", "no-data", "--output", "json");
      JsonNode report = JSON.readTree(r.out());
      findings = new ArrayList<>();
      report.path("findings").forEach(findings::add);
      boolean named = findings.stream().anyMatch(f -> f.path("cause").asText().contains("orders_placed_total"));
      if (r.exitCode() == 0 && report.path("ok").asBoolean() && named || Instant.now().isAfter(end)) {
        assertEquals(0, r.exitCode(), r.toString());
        break;
      }
      Thread.sleep(1000);
    }
    List<JsonNode> all = findings;
    JsonNode datasource = grafana(all, "datasource prometheus").orElseThrow(() -> new AssertionError(
        "no finding on datasource prometheus"));
    assertEquals("info", datasource.path("severity").asText(), datasource.toString());
    assertEquals("Grafana: Successfully queried the Prometheus API.", datasource.path("evidence").asText(),
        "the stand-in's health check queried Prometheus over HTTPS with the provisioned basic auth");
    JsonNode panel = all.stream().filter(f -> f.path("cause").asText().contains("orders_placed_total"))
        .findFirst().orElseThrow(() -> new AssertionError("no finding names orders_placed_total: " + all));
    assertEquals("warning", panel.path("severity").asText(), panel.toString());
    assertTrue(panel.path("cause").asText().matches("panel \"[^\"]+\" of dashboard \"Backend\" shows \"No data\": "
        + "orders_placed_total never existed in Prometheus"), panel.toString());
    assertTrue(panel.path("remedy").asText().contains("check that the service exports orders_placed_total"),
        panel.toString());
  }

  @Test
  void theStandInRefusesMissingAndWrongCredentialsAndAnUnknownDatasource() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String password = Files.readString(dir.resolve("monitoring/secrets/grafana_admin_password")).strip();
    assertEquals(401, get(http, "/api/search?type=dash-db", null).statusCode());
    HttpResponse<String> wrong = get(http, "/api/datasources", "admin:wrong");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body().contains("Invalid username or password"), wrong.body());
    HttpResponse<String> unknown = get(http, "/api/datasources/uid/nope/health", "admin:" + password);
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("Data source not found"), unknown.body());
    HttpResponse<String> page2 = get(http, "/api/search?type=dash-db&limit=1&page=2", "admin:" + password);
    assertEquals(200, page2.statusCode());
    assertEquals(1, JSON.readTree(page2.body()).size(), "one of the two dashboards on page 2: " + page2.body());
    HttpResponse<String> page3 = get(http, "/api/search?type=dash-db&limit=1&page=3", "admin:" + password);
    assertEquals("[]", page3.body());
  }

  private HttpResponse<String> get(HttpClient http, String path, String credentials) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + grafanaPort + path))
        .timeout(Duration.ofSeconds(10));
    if (credentials != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static java.util.Optional<JsonNode> grafana(List<JsonNode> findings, String checkStart) {
    return findings.stream().filter(f -> f.path("component").asText().equals("grafana"))
        .filter(f -> f.path("check").asText().startsWith(checkStart)).findFirst();
  }
}
