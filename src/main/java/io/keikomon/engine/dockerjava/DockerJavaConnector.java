package io.keikomon.engine.dockerjava;

import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineConnector;
import io.keikomon.engine.EngineInfo;
import java.nio.file.Path;
import java.time.Duration;

/** Finds the engine the way the docker CLI does ({@link EngineConnector}) and connects to it with docker-java. */
public final class DockerJavaConnector {
  private DockerJavaConnector() {}

  /** A connected gateway for the workspace's environment, or {@link DockerUnavailableException}. */
  public static DockerGateway connect(Workspace ws) {
    String homeDir = ws.env().getOrDefault("HOME", System.getProperty("user.home"));
    Path home = ws.dir().getFileSystem().getPath(homeDir);
    EngineConnector.Pinger pinger = new EngineConnector.Pinger() {
      @Override
      public EngineInfo ping(String endpoint, Duration timeout) {
        // same TLS settings as the real connection, or a TLS endpoint would never answer the ping
        try (DockerJavaGateway probe = DockerJavaGateway.open(endpoint, ws.env(), timeout, timeout)) {
          return probe.info();
        }
      }

      @Override
      public String reason(Throwable e) {
        return DockerJavaGateway.reason(e);
      }
    };
    EngineConnector.Found found = new EngineConnector(ws.env(), home, pinger).locate();
    // docker-java's own timeouts do not hold on a Unix socket: DeadlineGateway bounds every call
    return DeadlineGateway.of(
        DockerJavaGateway.open(found.endpoint(), ws.env(), Duration.ofSeconds(5), Duration.ofSeconds(120)),
        found.endpoint());
  }
}
