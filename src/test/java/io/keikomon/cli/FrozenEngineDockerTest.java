package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.testing.UnixSocketEngineFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real engine behind a proxy that stops forwarding in the middle of `up`: up ends within its --timeout. */
@Tag("docker")
class FrozenEngineDockerTest {
  private static DockerGateway docker;
  private final String project = "kmfrozen" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path dir;

  @BeforeAll
  static void images() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
    TestImages.ensureAll(docker);
  }

  @AfterEach
  void cleanUp() {
    Map<String, String> label = Map.of(ComposeLabels.PROJECT, project);
    docker.listContainers(label).forEach(c -> docker.removeContainer(c.id(), true));
    docker.listNetworks(label).forEach(n -> docker.removeNetwork(n.id()));
    docker.listVolumes(label).forEach(v -> docker.removeVolume(v.name()));
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void engineFreezingAtTheFirstContainerStartEndsUpWithinItsTimeout() throws Exception {
    Files.writeString(dir.resolve("keiko.yml"), "project: " + project + "\nalerting: {none: true}\ncomponents: {node-exporter: false}\n"
        + "ports: {prometheus: %d, alertmanager: %d, grafana: %d, jaeger: %d, otlp_grpc: %d, otlp_http: %d}\n"
            .formatted(freePort(), freePort(), freePort(), freePort(), freePort(), freePort())
        + TestImages.imagesOverride());
    Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=x\n");
    Duration timeout = Duration.ofSeconds(20);
    try (UnixSocketEngineFault proxy = UnixSocketEngineFault.freezingProxy(
        Files.createDirectories(dir.resolve("sock")), Path.of("/var/run/docker.sock"), "/start HTTP")) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("DOCKER_HOST", proxy.endpoint());
      env.put("NO_COLOR", "1");
      CliHarness cli = new CliHarness(new Services(new Workspace(dir, env, Clock.systemUTC()), false));

      long t0 = System.nanoTime();
      CliHarness.Result r = cli.run("up", "--timeout", timeout.toSeconds() + "s");
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertTrue(proxy.frozen(), "the engine froze during up:\n" + r);
      assertTrue(r.exitCode() == 4 || r.exitCode() == 5, r.toString());
      assertTrue(took.compareTo(timeout.plusSeconds(5)) < 0, "took " + took.toMillis() + " ms\n" + r);
      assertTrue(r.err().contains("the Docker Engine at " + proxy.endpoint() + " stopped answering"), r.toString());
      // The proxy freezes the whole socket once a start is sent; a create running in parallel may be the one that times out.
      assertTrue(r.err().matches("(?s).*while trying to (start|create) container.*"), r.toString());
    }
  }
}
