package io.keikomon.stack;

import io.keikomon.api.ApiTransport;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.core.Component;
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
  private final StackAccess access;

  /** {@code access}: the credentials and CA the stack was rendered with (see {@link StackAccess}). */
  public ComponentEndpoints(DockerGateway docker, boolean engineLocal, StackAccess access) {
    this.docker = docker;
    this.engineLocal = engineLocal;
    this.access = access;
  }

  /** Endpoints for {@code docker}, local or not as its {@link EngineInfo} says. */
  public static ComponentEndpoints of(DockerGateway docker, StackAccess access) {
    return new ComponentEndpoints(docker, isLocal(docker.info()), access);
  }

  public StackAccess access() {
    return access;
  }

  /**
   * A transport to {@code component}'s API port in {@code c}, with the credentials and CA it was rendered with.
   */
  public ApiTransport transport(ContainerDetails c, Component component) {
    return transport(c, component, access.auth(component));
  }

  /** The same with other credentials (Grafana's admin user), and the CA as rendered. */
  public ApiTransport transport(ContainerDetails c, Component component, Optional<BasicAuth> auth) {
    return transport(c, component, auth, TIMEOUT);
  }

  /** The same with another bound for one request (doctor waits only a few seconds for a dead component). */
  public ApiTransport transport(ContainerDetails c, Component component, Optional<BasicAuth> auth, Duration timeout) {
    int port = component.port();
    if (engineLocal) {
      for (PublishedPort p : c.ports()) {
        if (p.containerPort() == port && "tcp".equals(p.protocol())) {
          String host = p.hostIp() == null || p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0")
              ? "127.0.0.1" : p.hostIp().equals("::") ? "::1" : p.hostIp();
          DirectTransport.Builder b = DirectTransport.builder(host, p.hostPort()).requestTimeout(timeout)
              .tls(access.transportSecurity(component));
          auth.ifPresent(b::basicAuth);
          return b.build();
        }
      }
    }
    // inside the container, to itself (node-exporter listens on the host gateway, the others on loopback too):
    // busybox wget speaks TLS but cannot verify the certificate
    String host = component == Component.NODE_EXPORTER ? Component.HOST_GATEWAY : "127.0.0.1";
    return new ExecTransport(docker, c.id(), host, port, auth, timeout, access.tls(component));
  }

  /**
   * To {@code port} as Swarm's routing mesh publishes it on every node, here at the engine's host (this machine for
   * a local engine): the way to a swarm service with no task on the node keiko-mon talks to. The mesh balances, so
   * each request may reach another replica.
   */
  public ApiTransport published(Component component, int port, Optional<BasicAuth> auth, Duration timeout) {
    DirectTransport.Builder b = DirectTransport.builder(engineHost(docker.info()), port).requestTimeout(timeout)
        .tls(access.transportSecurity(component));
    auth.ifPresent(b::basicAuth);
    return b.build();
  }

  /** The host of a tcp:// or ssh:// engine endpoint; 127.0.0.1 for a local one. */
  static String engineHost(EngineInfo engine) {
    if (isLocal(engine)) {
      return "127.0.0.1";
    }
    try {
      String host = java.net.URI.create(engine.endpoint()).getHost();
      return host == null || host.isEmpty() ? "127.0.0.1" : host;
    } catch (IllegalArgumentException e) {
      return "127.0.0.1";
    }
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
}
