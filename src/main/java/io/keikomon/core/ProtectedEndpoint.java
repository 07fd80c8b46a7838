package io.keikomon.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * The components that ask for a password and speak TLS when keiko.yml's {@code security} says so, with the user
 * every client sends, the .env variable holding its password, and the names of the secret files rendered under
 * {@code secrets/} (mounted at {@code /run/secrets/<name>}). Render, the templates, validate and keiko-mon's own
 * clients ({@code stack.ComponentEndpoints}) all read these, so the chain has one definition.
 */
public enum ProtectedEndpoint {
  PROMETHEUS(Component.PROMETHEUS, "admin", "PROMETHEUS_PASSWORD"),
  ALERTMANAGER(Component.ALERTMANAGER, "admin", "ALERTMANAGER_PASSWORD"),
  /** Published on the host (host network): Prometheus scrapes it as "metrics". */
  NODE_EXPORTER(Component.NODE_EXPORTER, "metrics", "METRICS_PASSWORD");

  /** The local CA's certificate, the one file every client needs to verify the servers. */
  public static final String CA_FILE = "ca.crt";

  private final Component component;
  private final String user;
  private final String envVariable;

  ProtectedEndpoint(Component component, String user, String envVariable) {
    this.component = component;
    this.user = user;
    this.envVariable = envVariable;
  }

  public Component component() {
    return component;
  }

  public String user() {
    return user;
  }

  /** Where the password comes from (.env or the environment). */
  public String envVariable() {
    return envVariable;
  }

  /** The secret file with the bare password (Prometheus' {@code password_file}, keiko-mon's clients). */
  public String passwordFile() {
    return component.service().replace('-', '_') + "_password";
  }

  /**
   * The secret file with the whole {@code Authorization} header value ({@code Basic <base64>}): the healthcheck reads
   * it at check time, so no secret sits in the container's configuration.
   */
  public String authHeaderFile() {
    return component.service().replace('-', '_') + "_auth_header";
  }

  /** The web config file (exporter-toolkit's {@code --web.config.file}), relative to the output folder. */
  public String webConfig() {
    return component.service() + "/web.yml";
  }

  public String certificateFile() {
    return component.service() + ".crt";
  }

  public String keyFile() {
    return component.service() + ".key";
  }

  public static Optional<ProtectedEndpoint> of(Component c) {
    return Arrays.stream(values()).filter(p -> p.component == c).findFirst();
  }
}
