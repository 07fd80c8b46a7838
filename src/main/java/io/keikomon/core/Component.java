package io.keikomon.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one registry of the stack's components: the compose service each runs as, the port it serves on inside
 * the project network, where it says it is ready, and how it takes a new configuration without a new
 * container. Java code and (through the render model's {@code components}) the templates read these
 * instead of repeating names and ports.
 */
public enum Component {
  PROMETHEUS("prometheus", 9090, 9090, 9090, "/-/ready", Reload.HTTP_RELOAD),
  ALERTMANAGER("alertmanager", 9093, 9093, 9093, "/-/ready", Reload.HTTP_RELOAD),
  GRAFANA("grafana", 3000, 3000, 3000, "/api/health", Reload.PROVISIONING_API),
  /** UI/query on 16686, its own metrics on 8888, health on the collector's health_check extension. */
  JAEGER("jaeger", 16686, 8888, 13133, "/status", Reload.NONE),
  /** Runs in the host's network namespace, listening on the Docker host gateway. */
  NODE_EXPORTER("node-exporter", 9100, 9100, 9100, "/", Reload.NONE),
  POSTGRES_EXPORTER("postgres-exporter", 9187, 9187, 9187, "/", Reload.NONE),
  REDIS_EXPORTER("redis-exporter", 9121, 9121, 9121, "/health", Reload.NONE),
  BLACKBOX_EXPORTER("blackbox-exporter", 9115, 9115, 9115, "/-/healthy", Reload.HTTP_RELOAD);

  /** How a component applies a changed configuration file while it runs. */
  public enum Reload {
    /** {@code POST /-/reload} (Prometheus only with {@code --web.enable-lifecycle}). */
    HTTP_RELOAD,
    /** Grafana's admin provisioning API ({@code POST /api/admin/provisioning/.../reload}). */
    PROVISIONING_API,
    /** A changed configuration needs a new container. */
    NONE
  }

  /** Where node-exporter listens (it shares the host's network, not the project's). */
  public static final String HOST_GATEWAY = "host.docker.internal";

  private static final Map<String, Component> BY_SERVICE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Component::service, Function.identity()));

  private final String service;
  private final int port;
  private final int metricsPort;
  private final int healthPort;
  private final String healthPath;
  private final Reload reload;

  Component(String service, int port, int metricsPort, int healthPort, String healthPath, Reload reload) {
    this.service = service;
    this.port = port;
    this.metricsPort = metricsPort;
    this.healthPort = healthPort;
    this.healthPath = healthPath;
    this.reload = reload;
  }

  /** The compose service name (and the host name inside the project network). */
  public String service() {
    return service;
  }

  /** The port it serves its API/UI on inside its container. */
  public int port() {
    return port;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public int healthPort() {
    return healthPort;
  }

  /** The path that answers 2xx once the component is ready. */
  public String healthPath() {
    return healthPath;
  }

  public Reload reload() {
    return reload;
  }

  /** Host name on the project network (node-exporter: the host gateway). */
  public String host() {
    return this == NODE_EXPORTER ? HOST_GATEWAY : service;
  }

  /** {@code host:port} as other containers reach it. */
  public String address() {
    return host() + ":" + port;
  }

  /** {@code host:metricsPort}, the scrape target. */
  public String metricsAddress() {
    return host() + ":" + metricsPort;
  }

  /** The component a compose service is, if it is one of the stack's own. */
  public static Optional<Component> ofService(String service) {
    return Optional.ofNullable(BY_SERVICE.get(service));
  }

  /** Key the templates use: {@code nodeExporter}, {@code prometheus}, ... */
  public String modelKey() {
    String[] words = name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return b.toString();
  }
}
