package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.PublishedPort;
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

/** A running Grafana (the in-JVM <b>stand-in</b>) that refuses the admin password render wrote is named, with the fix. */
class GrafanaAdminLoginTest {
  @TempDir Path out;
  GrafanaStandIn grafana;
  InMemoryDockerEngine engine;
  Stack stack;

  @BeforeEach
  void stack() throws Exception {
    Files.createDirectories(out.resolve("secrets"));
    Files.writeString(out.resolve("secrets/grafana_admin_password"), "from-dot-env\n");
    grafana = new GrafanaStandIn(out.resolve("none"), "from-dot-env");
    grafana.start();
    engine = new InMemoryDockerEngine().container(new ContainerDetails("g1", "p-grafana", "grafana/grafana",
        "sha256:g", Map.of(), new ContainerState("running", true, 0, false, Instant.EPOCH, null, null, ""),
        List.of(PublishedPort.tcp("127.0.0.1", grafana.port(), 3000)), List.of(), Instant.EPOCH));
    engine.endpoint = "unix:///var/run/docker.sock";
    stack = new Stack("p", out, out.resolve("docker-compose.monitoring.yml"), List.of("grafana"),
        Map.of("grafana", List.of(new ContainerSummary("g1", "p-grafana", "grafana/grafana", "running", Map.of()))),
        Map.of());
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  @Test
  void aGrafanaThatTakesThePasswordIsFine() {
    assertEquals(Optional.empty(), GrafanaAdminLogin.mismatch(engine, stack));
  }

  @Test
  void aGrafanaWithAnotherStoredPasswordIsNamedWithTheCommandThatFixesIt() {
    grafana.requireBasicAuth(Map.of("admin", "changed-in-the-ui"));

    String warning = GrafanaAdminLogin.mismatch(engine, stack).orElseThrow();

    assertTrue(warning.startsWith("Grafana refuses the admin password in .env (GRAFANA_ADMIN_PASSWORD)"), warning);
    assertTrue(warning.contains("keiko-mon secrets rotate grafana --grafana-current-password-file FILE"), warning);
  }
}
