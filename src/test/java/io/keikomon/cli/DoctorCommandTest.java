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

  /** Security is on by default: doctor must send the password render wrote, as every other client does. */
  @Test
  void aPrometheusBehindBasicAuthIsReadWithTheRenderedPassword() throws Exception {
    java.nio.file.Path secrets = ws.dir().resolve("monitoring/secrets");
    java.nio.file.Files.createDirectories(secrets);
    java.nio.file.Files.writeString(secrets.resolve("prometheus_password"), "s3cret\n");
    prometheus.requireBasicAuth(Map.of("admin", "s3cret"));
    prometheusContainer();
    prometheus.addTarget("backend", "host.docker.internal:8000", true, "");
    CliHarness.Result r = cli.run("doctor", "metrics");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("info    metrics  target backend host.docker.internal:8000"), r.toString());
  }

  /** Issue 11: no step waits longer than a few seconds for a dead component. */
  @Test
  void aPrometheusThatNeverAnswersIsATimeoutFindingWithinAFewSeconds() {
    prometheusContainer();
    prometheus.breakWith(new io.keikomon.testing.HttpStandIn.Fault.Slow(java.time.Duration.ofSeconds(60)));
    long start = System.nanoTime();
    CliHarness.Result r = cli.run("doctor", "metrics");
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.out().contains("Prometheus accepted the connection but did not answer in time"), r.toString());
    assertTrue(seconds < 9, "doctor took " + seconds + " s");
  }

  @Test
  void noPrometheusContainerIsOneFailingFinding() {
    CliHarness.Result r = cli.run("doctor");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.out().contains("project shop has no prometheus container"), r.toString());
    assertTrue(r.out().contains("`keiko-mon up` starts it"), r.toString());
  }

  /**
   * Prometheus exits on a prometheus.yml edited by hand: the log lines are the real Prometheus' own (Debian's binary
   * run on the broken file, its path shown as the container's), served as the exited container's log.
   */
  @Test
  void prometheusExitingOnAHandEditedConfigShowsTheFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path yml = tmp.resolve("prometheus.yml");
    java.nio.file.Files.writeString(yml, """
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: backend
            scrape_intervall: 5s
            static_configs: [{targets: ['backend:8000']}]
        """);
    io.keikomon.testing.Tool run = io.keikomon.testing.Tool.run(tmp, "/usr/bin/prometheus", "--config.file=" + yml,
        "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:0");
    assertTrue(run.exitCode() != 0, run.toString());
    String[] lines = run.output().replace(yml.toString(), "/etc/prometheus/prometheus.yml").split("\n");
    docker.container(new ContainerDetails("p-id", "shop-prometheus-1", "img/prometheus:1", "sha256:x",
        Map.of(ComposeLabels.PROJECT, "shop", ComposeLabels.SERVICE, "prometheus", ComposeLabels.ONEOFF, "False"),
        new ContainerState("exited", false, 1, false, NOW.minusSeconds(60), NOW.minusSeconds(59), null, ""),
        List.of(), List.of("shop_default"), NOW.minusSeconds(60)));
    docker.logLines("shop-prometheus-1", lines);
    CliHarness.Result r = cli.run("doctor", "--output", "json");
    assertEquals(5, r.exitCode(), r.toString());
    JsonNode first = new ObjectMapper().readTree(r.out()).get("findings").get(0);
    assertEquals("container-prometheus", first.get("id").asText(), r.out());
    assertTrue(first.get("cause").asText().startsWith("prometheus is exited: "), first.toString());
    assertTrue(first.get("cause").asText().contains("line 5: field scrape_intervall not found"), first.toString());
    assertTrue(first.get("remedy").asText().startsWith("fix monitoring/prometheus/prometheus.yml line 5"),
        first.toString());
    assertEquals("prometheus-running", first.get("explains").get(0).asText(), r.out());
  }

  @Test
  void anUnknownSymptomIsAUsageError() {
    CliHarness.Result r = cli.run("doctor", "slow");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown symptom 'slow': use metrics, no-data or alerts"), r.toString());
  }
}
