package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.PublishedPort;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.PrometheusStandIn;
import io.keikomon.testing.TestWorkspaces;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** doctor finds Prometheus' published port from the engine and exits 5 on a failing check. */
class DoctorCommandTest {
  private static final Instant NOW = TestWorkspaces.T0;
  private final Workspace ws = TestWorkspaces.withConfig("project: shop\n");
  private final InMemoryDockerEngine docker = new InMemoryDockerEngine();
  private final CliHarness cli = new CliHarness(new Services(ws, false).withDocker(docker));
  private PrometheusStandIn prometheus;

  @BeforeEach
  void start() {
    docker.endpoint = "unix:///var/run/docker.sock"; // published ports are ports of this machine
    prometheus = new PrometheusStandIn();
    prometheus.start();
    for (String gauge : List.of("pg_up", "redis_up", "probe_success", "probe_http_status_code")) {
      prometheus.setVector(gauge, Map.of());
    }
  }

  @AfterEach
  void stop() {
    prometheus.close();
  }

  private void prometheusContainer() {
    docker.container(new ContainerDetails("p-id", "shop-prometheus-1", "img/prometheus:1", "sha256:x",
        Map.of(ComposeLabels.PROJECT, "shop", ComposeLabels.SERVICE, "prometheus", ComposeLabels.ONEOFF, "False"),
        new ContainerState("running", true, 0, false, NOW.minusSeconds(60), null, null, ""),
        List.of(PublishedPort.tcp("0.0.0.0", prometheus.port(), 9090)), List.of("shop_default"),
        NOW.minusSeconds(60)));
  }

  @Test
  void aRefusedBackendTargetExitsFiveWithTheFix() {
    prometheusContainer();
    prometheus.addTarget("backend", "host.docker.internal:8000", false,
        "Get \"http://host.docker.internal:8000/metrics\": dial tcp 172.17.0.1:8000: connect: connection refused");
    CliHarness.Result r = cli.run("doctor", "metrics");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.out().contains("error   metrics  target backend host.docker.internal:8000"), r.toString());
    assertTrue(r.out().contains("remedy:   backend.targets: host.docker.internal:8000 refused the connection"),
        r.toString());
  }

  @Test
  void aHealthyChainExitsZeroAndJsonSaysOk() throws Exception {
    prometheusContainer();
    prometheus.addTarget("backend", "host.docker.internal:8000", true, "");
    CliHarness.Result r = cli.run("doctor", "metrics", "--output", "json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertTrue(root.get("ok").asBoolean());
    assertEquals("info", root.get("findings").get(1).get("severity").asText(), r.out());
  }

  @Test
  void noPrometheusContainerIsOneFailingFinding() {
    CliHarness.Result r = cli.run("doctor");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.out().contains("project shop has no prometheus container"), r.toString());
    assertTrue(r.out().contains("`keiko-mon up` starts it"), r.toString());
  }

  @Test
  void anUnknownSymptomIsAUsageError() {
    CliHarness.Result r = cli.run("doctor", "slow");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown symptom 'slow': use metrics, no-data or alerts"), r.toString());
  }
}
