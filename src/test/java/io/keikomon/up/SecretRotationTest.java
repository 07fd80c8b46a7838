package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.config.EnvFile;
import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.PublishedPort;
import io.keikomon.stack.StackLabels;
import io.keikomon.testing.GrafanaStandIn;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Grafana half of `secrets rotate` against the in-JVM <b>Grafana stand-in</b> (PUT /api/user/password as
 * Grafana documents it), and what happens to .env around it; the engine is in memory, `up` is counted.
 */
class SecretRotationTest {
  static final String ENV = """
      # Secrets (hand-written comment kept)
      export GRAFANA_ADMIN_PASSWORD=stored-in-grafana
      PROMETHEUS_PASSWORD=prom-old-password
      ALERTMANAGER_SLACK_URL="https://hooks.example/x#y"
      """;

  Workspace ws;
  GrafanaStandIn grafana;
  InMemoryDockerEngine engine;
  final AtomicInteger applied = new AtomicInteger();

  @BeforeEach
  void stack() throws IOException {
    ws = TestWorkspaces.withConfig("version: 1\nproject: rot\n");
    Files.writeString(ws.envFile(), ENV);
    Files.setPosixFilePermissions(ws.envFile(), PosixFilePermissions.fromString("rw-------"));
    grafana = new GrafanaStandIn(Path.of("/nonexistent-provisioning"), "stored-in-grafana");
    grafana.start();
    Map<String, String> labels = new HashMap<>(StackLabels.projectFilter("rot"));
    labels.put(ComposeLabels.SERVICE, "grafana");
    engine = new InMemoryDockerEngine().container(new ContainerDetails("g1", "rot-grafana", "grafana/grafana",
        "sha256:g", labels, new ContainerState("running", true, 0, false, Instant.EPOCH, null, null, ""),
        List.of(PublishedPort.tcp("127.0.0.1", grafana.port(), 3000)), List.of(), Instant.EPOCH));
    engine.endpoint = "unix:///var/run/docker.sock";
  }

  @AfterEach
  void stop() {
    grafana.close();
  }

  SecretRotation rotation(Runnable up) {
    return new SecretRotation(ws, Console.SILENT, () -> engine, () -> {
      applied.incrementAndGet();
      up.run();
    });
  }

  String value(String name) throws IOException {
    return EnvFile.parse(Files.readString(ws.envFile()), ".env").get(name).orElseThrow().value();
  }

  List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(ws.dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".env.")).sorted().toList();
    }
  }

  @Test
  void grafanaTakesTheNewPasswordThroughItsApiAndOnlyThenIsItInDotEnv() throws IOException {
    rotation(() -> { }).rotate(new SecretRotation.Options(List.of("grafana"), Optional.empty()));

    String now = value("GRAFANA_ADMIN_PASSWORD");
    assertNotEquals("stored-in-grafana", now);
    assertEquals(32, now.length());
    assertEquals(now, grafana.adminPassword());
    // everything else byte for byte, the export prefix kept, still private
    assertEquals(ENV.replace("stored-in-grafana", now), Files.readString(ws.envFile()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.envFile())));
    assertEquals(1, applied.get());
    List<String> left = leftovers();
    assertEquals(1, left.size(), left.toString());
    assertTrue(left.get(0).startsWith(".env.bak-"), left.toString());
    assertEquals(ENV, Files.readString(ws.dir().resolve(left.get(0))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.dir().resolve(left.get(0)))));
  }

  @Test
  void aGrafanaWhoseStoredPasswordDiffersIsNamedAndNothingChanges() throws IOException {
    grafana.close();
    grafana = new GrafanaStandIn(Path.of("/nonexistent-provisioning"), "set-in-the-ui-later");
    grafana.start();
    engine.containers.clear();
    stackWithGrafanaOn(grafana.port());

    OperationFailedException e = assertThrows(OperationFailedException.class,
        () -> rotation(() -> { }).rotate(new SecretRotation.Options(List.of("grafana"), Optional.empty())));

    assertTrue(e.getMessage().contains("Grafana refused the admin password in .env"), e.getMessage());
    assertTrue(e.hint().contains("--grafana-current-password-file"), e.hint());
    assertEquals(ENV, Files.readString(ws.envFile()));
    assertEquals("set-in-the-ui-later", grafana.adminPassword());
    assertEquals(List.of(), leftovers());
    assertEquals(0, applied.get());
  }

  @Test
  void theCurrentPasswordGivenFixesAGrafanaThatDiffersFromDotEnv() throws IOException {
    grafana.close();
    grafana = new GrafanaStandIn(Path.of("/nonexistent-provisioning"), "set-in-the-ui-later");
    grafana.start();
    engine.containers.clear();
    stackWithGrafanaOn(grafana.port());

    rotation(() -> { }).rotate(new SecretRotation.Options(List.of("grafana"), Optional.of("set-in-the-ui-later")));

    assertEquals(value("GRAFANA_ADMIN_PASSWORD"), grafana.adminPassword());
    assertEquals(1, applied.get());
  }

  @Test
  void aWrongCurrentPasswordGivenIsRefusedWithoutAChange() throws IOException {
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> rotation(() -> { })
        .rotate(new SecretRotation.Options(List.of("grafana"), Optional.of("not-it"))));

    assertTrue(e.getMessage().contains("the current admin password given"), e.getMessage());
    assertEquals("stored-in-grafana", grafana.adminPassword());
    assertEquals(ENV, Files.readString(ws.envFile()));
  }

  @Test
  void aFailureWhileApplyingKeepsTheOldValuesAndSaysHowToGoBack() throws IOException {
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> rotation(() -> {
      throw new OperationFailedException("reloading prometheus failed: HTTP 500", "see its logs");
    }).rotate(new SecretRotation.Options(List.of("prometheus"), Optional.empty())));

    assertTrue(e.getMessage().contains("applying them failed: reloading prometheus failed"), e.getMessage());
    String backup = leftovers().get(0);
    assertTrue(e.hint().contains("cp " + backup + " .env && keiko-mon up"), e.hint());
    assertEquals(ENV, Files.readString(ws.dir().resolve(backup)));
    assertNotEquals("prom-old-password", value("PROMETHEUS_PASSWORD"));
  }

  @Test
  void aPasswordSetInTheEnvironmentIsNotRotatedBehindItsBack() throws IOException {
    ws = new Workspace(ws.dir(), Map.of("PROMETHEUS_PASSWORD", "from-env"), ws.clock());

    OperationFailedException e = assertThrows(OperationFailedException.class,
        () -> rotation(() -> { }).rotate(new SecretRotation.Options(List.of("prometheus"), Optional.empty())));

    assertTrue(e.getMessage().contains("PROMETHEUS_PASSWORD is set in the environment"), e.getMessage());
    assertEquals(ENV, Files.readString(ws.envFile()));
    assertFalse(leftovers().stream().anyMatch(n -> n.startsWith(".env.")));
  }

  void stackWithGrafanaOn(int port) {
    Map<String, String> labels = new HashMap<>(StackLabels.projectFilter("rot"));
    labels.put(ComposeLabels.SERVICE, "grafana");
    engine.container(new ContainerDetails("g2", "rot-grafana", "grafana/grafana", "sha256:g", labels,
        new ContainerState("running", true, 0, false, Instant.EPOCH, null, null, ""),
        List.of(PublishedPort.tcp("127.0.0.1", port, 3000)), List.of(), Instant.EPOCH));
  }
}
