package io.keikomon.engine.dockerjava;

import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineInfo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Engine discovery against the real engine on the default socket, and against endpoints where none runs. */
@Tag("docker")
class EngineDiscoveryDockerTest {

  @Test
  void defaultSocketAnswersWithVersionAndHostGatewaySupport() {
    Workspace ws = TestWorkspaces.jimfs(Map.of("HOME", "/home/nobody"));
    try (DockerGateway docker = DockerJavaConnector.connect(ws)) {
      EngineInfo info = docker.info();
      assertTrue(info.endpoint().equals("unix:///var/run/docker.sock"), info.toString());
      assertTrue(info.apiVersion().matches("1\\.\\d+"), info.toString());
      assertTrue(info.supportsHostGateway(), info.toString());
    }
  }

  @Test
  void deadTcpDockerHostIsReportedWithItsReason() {
    Workspace ws = TestWorkspaces.jimfs(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"));
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, () -> DockerJavaConnector.connect(ws));
    assertTrue(e.getMessage().contains("tcp://127.0.0.1:1 (DOCKER_HOST): connection refused"), e.getMessage());
  }

  @Test
  void endpointThatAcceptsButNeverAnswersTimesOutQuickly() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      String endpoint = "tcp://127.0.0.1:" + silent.getLocalPort();
      Workspace ws = TestWorkspaces.jimfs(Map.of("DOCKER_HOST", endpoint));
      long start = System.nanoTime();
      DockerUnavailableException e = assertThrows(DockerUnavailableException.class, () -> DockerJavaConnector.connect(ws));
      long seconds = java.time.Duration.ofNanos(System.nanoTime() - start).toSeconds();
      assertTrue(seconds < 10, "gave up after " + seconds + " s");
      assertTrue(e.getMessage().contains(endpoint + " (DOCKER_HOST): no answer within 3s"), e.getMessage());
    }
  }

  @Test
  void missingSocketIsReportedWithItsReason() {
    Workspace ws = TestWorkspaces.jimfs(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"));
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, () -> DockerJavaConnector.connect(ws));
    assertTrue(e.getMessage().contains("unix:///nonexistent.sock (DOCKER_HOST): no socket there"), e.getMessage());
  }
}
