package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.PublishedPort;
import io.keikomon.stack.ComponentEndpoints;
import io.keikomon.testing.GrafanaStandIn;
import io.keikomon.testing.InMemoryDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grafana's provisioning reloaded through its admin API (the in-JVM Grafana stand-in), and read back. */
class ReloaderGrafanaTest {
  @TempDir Path out;
  GrafanaStandIn grafana;
  ComposeModel.Service service;
  ContainerDetails container;

  @BeforeEach
  void grafana() throws Exception {
    Files.createDirectories(out.resolve("grafana/provisioning/datasources"));
    Files.createDirectories(out.resolve("secrets"));
    Files.writeString(out.resolve("secrets/grafana_admin_password"), "s3cret\n");
    datasources("1s");
    grafana = new GrafanaStandIn(out.resolve("grafana/provisioning"), "s3cret");
    grafana.start();
    service = new ComposeModel.Service("grafana", "grafana/grafana", Optional.empty(), Optional.empty(), Map.of(),
        List.of(), List.of(new Mount(MountType.BIND, out.resolve("grafana/provisioning").toString(),
            Reloader.GRAFANA_PROVISIONING, true, "")), Optional.empty(), Map.of(), List.of(), "unless-stopped",
        "keiko-grafana", Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), io.keikomon.engine.Hardening.NONE);
    container = new ContainerDetails("g1", "keiko-grafana", "grafana/grafana", "sha256:g", Map.of(),
        new ContainerState("running", true, 0, false, Instant.EPOCH, null, null, ""),
        List.of(PublishedPort.tcp("127.0.0.1", grafana.port(), 3000)), List.of(), Instant.EPOCH);
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  void datasources(String interval) throws Exception {
    Files.writeString(out.resolve("grafana/provisioning/datasources/datasources.yml"), """
        apiVersion: 1
        datasources:
          - name: Prometheus
            type: prometheus
            uid: prometheus
            access: proxy
            url: http://prometheus:9090
            jsonData:
              timeInterval: %s
        """.formatted(interval));
  }

  Reloader reloader() {
    return new Reloader(new ComponentEndpoints(new InMemoryDockerEngine(), true, io.keikomon.stack.StackAccess.of(out)), out);
  }

  @Test
  void changedDatasourceIsReloadedWithTheAdminPasswordAndReadBack() throws Exception {
    datasources("2s");

    assertDoesNotThrow(() -> reloader().reload(ReloadKind.GRAFANA, service, container));

    List<String> asked = grafana.requests();
    assertTrue(asked.stream().anyMatch(r -> r.contains("POST /api/admin/provisioning/datasources/reload")), asked.toString());
    assertTrue(asked.stream().anyMatch(r -> r.contains("POST /api/admin/provisioning/dashboards/reload")), asked.toString());
    assertTrue(asked.stream().anyMatch(r -> r.contains("GET /api/datasources/uid/prometheus")), asked.toString());
  }

  @Test
  void aRefusedReloadSaysWhySoUpCanRecreateInstead() throws Exception {
    Files.writeString(out.resolve("secrets/grafana_admin_password"), "not-what-grafana-has\n");

    Reloader.ReloadRefused e = assertThrows(Reloader.ReloadRefused.class,
        () -> reloader().reload(ReloadKind.GRAFANA, service, container));

    assertTrue(e.getMessage().contains("reload Grafana datasource provisioning failed: POST http://127.0.0.1:"
        + grafana.port() + "/api/admin/provisioning/datasources/reload answered HTTP 401"), e.getMessage());
  }

  @Test
  void aDatasourceIsComparedWithTheFileFieldByField() throws Exception {
    datasources("2s");
    reloader().reload(ReloadKind.GRAFANA, service, container);
    GrafanaModel.Datasource served = new GrafanaClient(DirectTransport.builder("127.0.0.1", grafana.port())
        .basicAuth(BasicAuth.fromSecretFile("admin", out.resolve("secrets/grafana_admin_password"))).build())
        .datasource("prometheus");

    assertNull(Reloader.mismatch(Map.of("uid", "prometheus", "url", "http://prometheus:9090",
        "jsonData", Map.of("timeInterval", "2s")), served));
    assertEquals("jsonData.timeInterval 2s (the file says 5s)",
        Reloader.mismatch(Map.of("uid", "prometheus", "jsonData", Map.of("timeInterval", "5s")), served));
    assertEquals("url http://prometheus:9090 (the file says http://p:1)",
        Reloader.mismatch(Map.of("uid", "prometheus", "url", "http://p:1"), served));
  }

  @Test
  void listsInJsonDataAreComparedAsJson() throws Exception {
    List<Object> destinations = List.of(Map.of("name", "trace_id", "datasourceUid", "jaeger"));
    GrafanaModel.Datasource served = new GrafanaModel.Datasource(1, 1, "prometheus", "Prometheus", "prometheus", "proxy",
        "http://prometheus:9090", false, null, true, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            "{\"timeInterval\": \"15s\", \"exemplarTraceIdDestinations\": [{\"name\": \"trace_id\","
                + " \"datasourceUid\": \"jaeger\"}]}"), true);
    assertNull(Reloader.mismatch(Map.of("uid", "prometheus", "jsonData",
        Map.of("timeInterval", "15s", "exemplarTraceIdDestinations", destinations)), served));
    assertEquals("jsonData.exemplarTraceIdDestinations [{\"name\":\"trace_id\",\"datasourceUid\":\"jaeger\"}] (the file"
            + " says [{datasourceUid=tempo}])",
        Reloader.mismatch(Map.of("uid", "prometheus", "jsonData",
            Map.of("exemplarTraceIdDestinations", List.of(Map.of("datasourceUid", "tempo")))), served));
  }
}
