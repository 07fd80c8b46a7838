package io.keikomon.stack;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.Health;
import io.keikomon.engine.HealthProbe;
import io.keikomon.engine.PublishedPort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceStatusTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  static ContainerDetails container(ContainerState state) {
    return new ContainerDetails("c1", "keiko-prometheus-1", "prom/prometheus:v3.5.0", "sha256:1",
        Map.of(ComposeLabels.SERVICE, "prometheus"), state, List.of(PublishedPort.tcp("127.0.0.1", 9090, 9090)),
        List.of("keiko_default"), NOW.minusSeconds(600));
  }

  static ContainerState running(Health health, Instant startedAt) {
    return new ContainerState("running", true, 0, false, startedAt, null, health, "");
  }

  static Health health(String status, int streak, String lastOutput) {
    List<HealthProbe> log = lastOutput == null ? List.of()
        : List.of(new HealthProbe(NOW.minusSeconds(10), NOW.minusSeconds(9), status.equals("healthy") ? 0 : 1,
            lastOutput));
    return new Health(status, streak, log);
  }

  @ParameterizedTest(name = "{0}/{1} -> ok={2}")
  @CsvSource({
    "running, healthy,   true",
    "running, none,      true",
    "running, starting,  false",
    "running, unhealthy, false",
  })
  void runningContainerIsOkOnlyWhenHealthyOrWithoutHealthcheck(String state, String health, boolean ok) {
    Health h = health.equals("none") ? null : health(health, health.equals("unhealthy") ? 3 : 0, "probe said so");
    ServiceStatus s = ServiceStatus.of("prometheus", container(running(h, NOW.minusSeconds(65))), NOW);
    assertEquals(ok, s.ok(), s.toString());
    assertEquals(health.equals("none") ? "-" : health, s.health());
    assertEquals(Duration.ofSeconds(65), s.uptime());
  }

  @Test
  void unhealthyNamesTheFailingStreakAndTheLastProbeOutput() {
    ServiceStatus s = ServiceStatus.of("prometheus",
        container(running(health("unhealthy", 4, "wget: can't connect to remote host\n(127.0.0.1): refused\n"), NOW)),
        NOW);
    assertEquals("unhealthy after 4 failed checks: wget: can't connect to remote host | (127.0.0.1): refused",
        s.problem());
  }

  @Test
  void exitedContainerIsNotOkAndHasNoUptime() {
    ContainerState exited = new ContainerState("exited", false, 2, false, NOW.minusSeconds(100), NOW.minusSeconds(90),
        health("unhealthy", 1, null), "");
    ServiceStatus s = ServiceStatus.of("prometheus", container(exited), NOW);
    assertFalse(s.ok());
    assertNull(s.uptime());
    assertEquals("exited (exit code 2)", s.problem());
  }

  @Test
  void oomKilledAndEngineErrorAreShown() {
    ContainerState dead = new ContainerState("exited", false, 137, true, null, NOW, null, "cannot mount /x");
    assertEquals("exited (exit code 137, out of memory): cannot mount /x",
        ServiceStatus.of("prometheus", container(dead), NOW).problem());
  }

  @Test
  void restartingIsNotOkEvenThoughTheEngineSaysRunning() {
    ContainerState restarting = new ContainerState("restarting", true, 1, false, NOW, null, null, "");
    assertFalse(ServiceStatus.of("prometheus", container(restarting), NOW).ok());
  }

  @Test
  void missingServiceIsNotOk() {
    ServiceStatus s = ServiceStatus.missing("grafana");
    assertFalse(s.ok());
    assertEquals("missing", s.state());
    assertTrue(s.problem().contains("keiko-mon up"));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "59, 59s", "60, 1m0s", "3599, 59m59s", "3600, 1h0m", "86399, 23h59m", "90000, 1d1h"})
  void uptimeIsCompact(long seconds, String text) {
    assertEquals(text, ServiceStatus.formatUptime(Duration.ofSeconds(seconds)));
  }

  @Test
  void reportIsOkOnlyWithServicesAllOk() {
    ServiceStatus good = ServiceStatus.of("prometheus", container(running(null, NOW)), NOW);
    assertTrue(new StatusReport("keiko", List.of(good), List.of(), null).allOk());
    assertFalse(new StatusReport("keiko", List.of(good, ServiceStatus.missing("grafana")), List.of(), null).allOk());
    assertFalse(new StatusReport("keiko", List.of(), List.of(), null).allOk(), "an empty project is not a healthy stack");
  }
}
