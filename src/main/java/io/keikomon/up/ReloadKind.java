package io.keikomon.up;

import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.core.Component;
import java.util.List;
import java.util.Optional;

/**
 * Services that re-read their mounted configuration while they run ({@code POST /-/reload}, or Grafana's admin
 * provisioning API), so a change to it needs no new container. Recognised by service name, as the rendered compose
 * file names them ({@link Component}).
 */
public enum ReloadKind {
  PROMETHEUS(Component.PROMETHEUS),
  ALERTMANAGER(Component.ALERTMANAGER),
  BLACKBOX(Component.BLACKBOX_EXPORTER),
  /** Every file Grafana bind-mounts is provisioning (datasources, dashboard providers, dashboards). */
  GRAFANA(Component.GRAFANA);

  /** Where the rendered compose file mounts the dashboards Grafana's providers point at. */
  static final String GRAFANA_DASHBOARDS = "/etc/grafana/dashboards";

  private final Component component;

  /** The component this service is. */
  public Component component() {
    return component;
  }

  ReloadKind(Component component) {
    this.component = component;
  }

  /**
   * True when a change to the files of {@code m} is applied by the reload. Grafana re-reads provisioning (and the
   * dashboards its providers point at), not the secrets it reads at start; no service sees a changed file secret.
   */
  public boolean reloads(ComposeModel.Mount m) {
    // A file secret is a bind mount of one file: render replaces the file (a new inode), the container keeps seeing
    // the old one, so a reload would apply nothing. A changed secret (a rotated password, a renewed certificate)
    // needs a new container.
    if (m.target().startsWith("/run/secrets/")) {
      return false;
    }
    return this != GRAFANA || m.target().startsWith(Reloader.GRAFANA_PROVISIONING) || m.target().startsWith(GRAFANA_DASHBOARDS);
  }

  /** True when the reload covers only some of the mounted files ({@link #reloads}). */
  public boolean partial() {
    // Grafana's secrets and provisioning, and any service's file secrets (see reloads)
    return true;
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
      case GRAFANA -> Optional.of(GRAFANA);
      default -> Optional.empty();
    });
  }
}
