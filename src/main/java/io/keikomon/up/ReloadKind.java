package io.keikomon.up;

import io.keikomon.compose.ComposeModel.Service;
import java.util.Optional;

/**
 * Services that re-read their mounted configuration on {@code POST /-/reload}, so a change to it needs no new
 * container. Recognised by service name, as the rendered compose file names them.
 */
public enum ReloadKind {
  PROMETHEUS(9090),
  ALERTMANAGER(9093),
  BLACKBOX(9115);

  private final int port;

  ReloadKind(int port) {
    this.port = port;
  }

  /** The port the service listens on inside its container. */
  public int port() {
    return port;
  }

  /**
   * The reload kind of {@code s}, if it can reload live. Prometheus only accepts {@code /-/reload} with
   * {@code --web.enable-lifecycle}; without it a config change means a new container.
   */
  public static Optional<ReloadKind> of(Service s) {
    return switch (s.name()) {
      case "prometheus" -> s.command().orElse(java.util.List.of()).contains("--web.enable-lifecycle")
          ? Optional.of(PROMETHEUS) : Optional.empty();
      case "alertmanager" -> Optional.of(ALERTMANAGER);
      case "blackbox-exporter", "blackbox" -> Optional.of(BLACKBOX);
      default -> Optional.empty();
    };
  }
}
