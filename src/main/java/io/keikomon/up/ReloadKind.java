package io.keikomon.up;

import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.core.Component;
import java.util.List;
import java.util.Optional;

/**
 * Services that re-read their mounted configuration on {@code POST /-/reload}, so a change to it needs no new
 * container. Recognised by service name, as the rendered compose file names them ({@link Component}).
 */
public enum ReloadKind {
  PROMETHEUS(Component.PROMETHEUS),
  ALERTMANAGER(Component.ALERTMANAGER),
  BLACKBOX(Component.BLACKBOX_EXPORTER);

  private final Component component;

  ReloadKind(Component component) {
    this.component = component;
  }

  /** The port the service listens on inside its container. */
  public int port() {
    return component.port();
  }

  /**
   * The reload kind of {@code s}, if it can reload live. Prometheus only accepts {@code /-/reload} with
   * {@code --web.enable-lifecycle}; without it a config change means a new container.
   */
  public static Optional<ReloadKind> of(Service s) {
    String name = s.name().equals("blackbox") ? Component.BLACKBOX_EXPORTER.service() : s.name();
    return Component.ofService(name).flatMap(c -> switch (c) {
      case PROMETHEUS -> s.command().orElse(List.of()).contains("--web.enable-lifecycle")
          ? Optional.of(PROMETHEUS) : Optional.empty();
      case ALERTMANAGER -> Optional.of(ALERTMANAGER);
      case BLACKBOX_EXPORTER -> Optional.of(BLACKBOX);
      default -> Optional.empty();
    });
  }
}
