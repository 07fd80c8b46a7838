package io.keikomon.engine.dockerjava;

import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineConnector;
import io.keikomon.engine.EngineInfo;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Finds the engine the way the docker CLI does ({@link EngineConnector}) and connects to it: pinged with a raw
 * {@code GET /version} where the endpoint allows it (docker-java's for TLS), docker-java's clients built meanwhile.
 */
public final class DockerJavaConnector {
  private DockerJavaConnector() {}

  /** A connected gateway for the workspace's environment, or {@link DockerUnavailableException}. */
  public static DockerGateway connect(Workspace ws) {
    EngineConnector.Found found = locate(ws);
    // docker-java's own timeouts do not hold on a Unix socket: DeadlineGateway bounds every call
    return DeadlineGateway.of(
        DockerJavaGateway.open(found.endpoint(), ws.env(), Duration.ofSeconds(5), Duration.ofSeconds(120)),
        found.endpoint());
  }

  private static EngineConnector.Found locate(Workspace ws) {
    String homeDir = ws.env().getOrDefault("HOME", System.getProperty("user.home"));
    Path home = ws.dir().getFileSystem().getPath(homeDir);
    EngineConnector.Pinger pinger = new EngineConnector.Pinger() {
      @Override
      public EngineInfo ping(String endpoint, Duration timeout) {
        // a raw GET /version, bounded by the timeout however the socket behaves: no docker-java on the way
        java.util.Optional<EngineHttp> raw = DockerJavaGateway.raw(endpoint, ws.env());
        if (raw.isPresent()) {
          return new EngineReads(endpoint, raw.get(), new EngineCalls(endpoint), timeout).info();
        }
        // same TLS settings as the real connection, or a TLS endpoint would never answer the ping
        try (DockerJavaGateway probe = DockerJavaGateway.open(endpoint, ws.env(), timeout, timeout, false)) {
          return probe.info();
        }
      }

      @Override
      public String reason(Throwable e) {
        return DockerJavaGateway.reason(e);
      }
    };
    return new EngineConnector(ws.env(), home, pinger).locate();
  }

  private static DockerGateway viaDockerJava(Workspace ws, String endpoint) {
    return DeadlineGateway.of(DockerJavaGateway.open(endpoint, ws.env(), Duration.ofSeconds(5), Duration.ofSeconds(30),
        false), endpoint);
  }

  /**
   * For the class-data-sharing training run: the read-only calls through docker-java too (the raw reads serve them
   * in a real command), so the archive holds the classes the changing calls load. Best effort, changes nothing.
   */
  public static void warmUpDockerJava(Workspace ws, String noSuchName) {
    try (DockerGateway docker = viaDockerJava(ws, locate(ws).endpoint())) {
      docker.info();
      docker.listContainers(java.util.Map.of("keiko-mon.training", noSuchName));
      docker.listNetworks(java.util.Map.of("keiko-mon.training", noSuchName));
      docker.listVolumes(java.util.Map.of("keiko-mon.training", noSuchName));
      docker.inspectContainer(noSuchName);
      docker.inspectImage(noSuchName);
    } catch (RuntimeException e) {
      // no engine here: the archive holds fewer classes
    }
  }
}
