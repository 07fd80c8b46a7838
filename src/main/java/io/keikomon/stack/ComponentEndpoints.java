package io.keikomon.stack;

import io.keikomon.api.ApiTransport;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.PublishedPort;
import java.time.Duration;
import java.util.Optional;

/**
 * How keiko-mon reaches a port of one of the stack's containers: straight to the host port it publishes when the
 * engine runs on this machine ({@link DirectTransport}), otherwise from inside the container ({@link ExecTransport}).
 */
public final class ComponentEndpoints {
  /** Upper bound for one request (reloads and reads alike). */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final DockerGateway docker;
  private final boolean engineLocal;

  public ComponentEndpoints(DockerGateway docker, boolean engineLocal) {
    this.docker = docker;
    this.engineLocal = engineLocal;
  }

  /** Endpoints for {@code docker}, local or not as its {@link EngineInfo} says. */
  public static ComponentEndpoints of(DockerGateway docker) {
    return new ComponentEndpoints(docker, isLocal(docker.info()));
  }

  /** True when published host ports are ports of this machine. */
  public static boolean isLocal(EngineInfo engine) {
    String e = engine.endpoint() == null ? "" : engine.endpoint();
    return e.startsWith("unix://") || e.startsWith("npipe://") || e.contains("://localhost")
        || e.contains("://127.0.0.1");
  }

  public boolean engineLocal() {
    return engineLocal;
  }

  /** A transport to {@code port} (inside the container) of {@code c}. */
  public ApiTransport transport(ContainerDetails c, int port, Optional<BasicAuth> auth) {
    if (engineLocal) {
      for (PublishedPort p : c.ports()) {
        if (p.containerPort() == port && "tcp".equals(p.protocol())) {
          String host = p.hostIp() == null || p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0")
              ? "127.0.0.1" : p.hostIp().equals("::") ? "::1" : p.hostIp();
          DirectTransport.Builder b = DirectTransport.builder(host, p.hostPort()).requestTimeout(TIMEOUT);
          auth.ifPresent(b::basicAuth);
          return b.build();
        }
      }
    }
    return new ExecTransport(docker, c.id(), port, auth, TIMEOUT);
  }
}
