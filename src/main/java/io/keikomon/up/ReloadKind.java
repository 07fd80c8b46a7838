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
  GRAFANA(Component.GRAFANA),
  /** Nothing to reload: exporter-toolkit re-reads the web config per request; the reload checks it is served. */
  NODE_EXPORTER(Component.NODE_EXPORTER);

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
   * True when a change to the files of {@code m} is applied live. Render rewrites a changed file secret in place (see
   * RenderService), so the container sees it: Prometheus and the exporters re-read their web config, certificates and
   * {@code password_file}s per request (exporter-toolkit, prometheus/common), Grafana its datasource passwords on a
   * provisioning reload. Grafana's admin password secret counts too: a new container would not apply it either
   * (Grafana keeps the password stored in its volume), `secrets rotate grafana` changes it through Grafana's API.
   */
  public boolean reloads(Service s, ComposeModel.Mount m) {
    if (m.target().startsWith("/run/secrets/")) {
      return true;
    }
    return this != GRAFANA || m.target().startsWith(Reloader.GRAFANA_PROVISIONING) || m.target().startsWith(GRAFANA_DASHBOARDS);
  }

  /** True when the reload covers only some of the mounted files ({@link #reloads}). */
  public boolean partial() {
    // Grafana: a bind mount other than provisioning, dashboards and secrets (one added by hand) needs a new container
    return this == GRAFANA;
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
      case NODE_EXPORTER -> Optional.of(NODE_EXPORTER);
      default -> Optional.empty();
    });
  }
}
