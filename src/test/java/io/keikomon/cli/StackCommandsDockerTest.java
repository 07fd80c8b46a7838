package io.keikomon.cli;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.core.Workspace;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.Mount;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PortBinding;
import io.keikomon.engine.VolumeSpec;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** status, down and logs against the real engine, and what every Docker command says when there is none. */
@Tag("docker")
class StackCommandsDockerTest {
  private static DockerGateway docker;
  private final String project = "keiko-cmd-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> projectLabel = Map.of(ComposeLabels.PROJECT, project);

  @BeforeAll
  static void images() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
    TestImages.ensure(docker, TestImages.Image.PROMETHEUS);
    TestImages.ensure(docker, TestImages.Image.NODE_EXPORTER);
  }

  @AfterEach
  void cleanUp() {
    docker.listContainers(projectLabel).forEach(c -> docker.removeContainer(c.id(), true));
    docker.listNetworks(projectLabel).forEach(n -> docker.removeNetwork(n.id()));
    docker.listVolumes(projectLabel).forEach(v -> docker.removeVolume(v.name()));
  }

  private CliHarness cli(Map<String, String> env) throws Exception {
    Workspace jimfs = TestWorkspaces.jimfs(env);
    Workspace ws = new Workspace(jimfs.dir(), env, Clock.systemUTC());
    Files.writeString(ws.configFile(), "project: " + project + "\n");
    return new CliHarness(new Services(ws, false));
  }

  /** A small stack the way up leaves it: a network, a volume, two labelled containers (one with a healthcheck). */
  private void startStack() throws InterruptedException {
    String network = project + "_default";
    docker.createNetwork(new NetworkSpec(network, null, projectLabel, true));
    docker.createVolume(new VolumeSpec(project + "_prometheus-data", null, projectLabel));
    docker.createAndStart(ContainerSpec.builder(project + "-prometheus-1", TestImages.Image.PROMETHEUS.tag())
        .labels(projectLabel).label(ComposeLabels.SERVICE, "prometheus").label(ComposeLabels.ONEOFF, "False")
        .network(network, List.of("prometheus"))
        .mount(Mount.volume(project + "_prometheus-data", "/prometheus"))
        .port(PortBinding.tcp("127.0.0.1", 0, 9090))
        .healthcheck(new HealthcheckSpec(List.of("CMD", "wget", "-qO-", "http://localhost:9090/-/ready"),
            Duration.ofMillis(300), Duration.ofSeconds(3), null, 3))
        .build());
    docker.createAndStart(ContainerSpec.builder(project + "-node-exporter-1", TestImages.Image.NODE_EXPORTER.tag())
        .labels(projectLabel).label(ComposeLabels.SERVICE, "node-exporter").label(ComposeLabels.ONEOFF, "False")
        .network(network, List.of("node-exporter"))
        .build());
    Instant deadline = Instant.now().plusSeconds(30);
    while (!docker.inspectContainer(project + "-prometheus-1").orElseThrow().state().health().healthy()
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
  }

  @Test
  void statusJsonReportsTheRunningStack() throws Exception {
    startStack();
    CliHarness.Result r = cli(Map.of()).run("status", "--output", "json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertTrue(root.get("ok").asBoolean(), r.toString());
    JsonNode node = root.get("services").get(0);
    JsonNode prom = root.get("services").get(1);
    assertEquals("node-exporter", node.get("service").asText());
    assertTrue(node.get("health").isNull());
    assertEquals(project + "-prometheus-1", prom.get("container").asText());
    assertEquals("healthy", prom.get("health").asText());
    assertEquals(TestImages.Image.PROMETHEUS.tag(), prom.get("image").asText());
    assertEquals(9090, prom.get("ports").get(0).get("containerPort").asInt());
    assertTrue(prom.get("uptimeSeconds").asLong() >= 0);

    docker.stopContainer(project + "-node-exporter-1", Duration.ofSeconds(5));
    CliHarness.Result stopped = cli(Map.of()).run("status");
    assertEquals(5, stopped.exitCode(), stopped.toString());
    assertTrue(stopped.err().contains("node-exporter: exited"), stopped.toString());
  }

  @Test
  void downRemovesContainersAndNetworkAndKeepsTheVolume() throws Exception {
    startStack();
    CliHarness.Result r = cli(Map.of()).run("down");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of(), docker.listContainers(projectLabel));
    assertEquals(List.of(), docker.listNetworks(projectLabel));
    assertTrue(docker.inspectVolume(project + "_prometheus-data").isPresent());
    assertTrue(r.out().contains("kept 1 volume (stored metrics and state): " + project + "_prometheus-data"),
        r.toString());

    CliHarness.Result withVolumes = cli(Map.of()).run("down", "--volumes");
    assertEquals(0, withVolumes.exitCode(), withVolumes.toString());
    assertTrue(docker.inspectVolume(project + "_prometheus-data").isEmpty());
  }

  @Test
  void logsShowThePrefixedTail() throws Exception {
    startStack();
    CliHarness.Result r = cli(Map.of()).run("logs", "prometheus", "--tail", "3");
    assertEquals(0, r.exitCode(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.toString());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("prometheus | ")), r.toString());
  }

  @Test
  void followedLogsEndWhenTheContainersStop() throws Exception {
    String id = docker.createAndStart(ContainerSpec.builder(project + "-ticker-1", TestImages.Image.PROMETHEUS.tag())
        .labels(projectLabel).label(ComposeLabels.SERVICE, "ticker").label(ComposeLabels.ONEOFF, "False")
        .entrypoint(List.of("/bin/sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick $i;"
            + " sleep 0.2; done & wait"))
        .build());
    CliHarness cli = cli(Map.of());
    java.util.concurrent.CompletableFuture<CliHarness.Result> run =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> cli.run("logs", "--follow"));
    Thread.sleep(1500);
    assertTrue(!run.isDone(), "still following while the container runs");
    docker.stopContainer(id, Duration.ofSeconds(5));
    CliHarness.Result r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("ticker | tick 1\nticker | tick 2\n"), r.toString());
  }

  @Test
  void deadDockerHostExitsFourNamingTheEndpointAndWhy() throws Exception {
    for (String command : List.of("status", "down", "logs")) {
      CliHarness.Result tcp = cli(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1")).run(command);
      assertEquals(4, tcp.exitCode(), tcp.toString());
      assertTrue(tcp.err().contains("error: no Docker Engine answered; tried:"), tcp.toString());
      assertTrue(tcp.err().contains("  - tcp://127.0.0.1:1 (DOCKER_HOST): connection refused"), tcp.toString());
      assertTrue(tcp.err().contains("hint: DOCKER_HOST is set"), tcp.toString());
    }
    CliHarness.Result sock = cli(Map.of("DOCKER_HOST", "unix:///nonexistent.sock")).run("status");
    assertEquals(4, sock.exitCode(), sock.toString());
    assertTrue(sock.err().contains("  - unix:///nonexistent.sock (DOCKER_HOST): no socket there"), sock.toString());
  }
}
