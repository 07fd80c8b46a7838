package io.keikomon.stack;

import io.keikomon.api.ApiException;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.GrafanaClient;
import io.keikomon.core.Component;
import io.keikomon.engine.DockerGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the running Grafana takes the admin password render wrote (GRAFANA_ADMIN_PASSWORD). Grafana applies that
 * variable only when its volume is new, so a password changed in .env later, or in Grafana's UI, leaves the two apart:
 * keiko-mon's reloads and doctor are then refused, and the user logs in with a password .env does not show.
 */
public final class GrafanaAdminLogin {
  /** The rendered admin password file, relative to the output folder. */
  private static final String SECRET = "secrets/grafana_admin_password";

  private GrafanaAdminLogin() {}

  /** What to do when Grafana refuses it; empty when it takes it, or when there is no running Grafana to ask. */
  public static Optional<String> mismatch(DockerGateway docker, Stack stack) {
    Path secret = stack.outputDir().resolve(SECRET);
    Optional<String> id = stack.container(Component.GRAFANA.service()).map(c -> c.id());
    if (id.isEmpty() || !Files.isRegularFile(secret)) {
      return Optional.empty();
    }
    return docker.inspectContainer(id.get()).filter(c -> c.state() != null && c.state().running()).flatMap(c -> {
      ComponentEndpoints endpoints = ComponentEndpoints.of(docker, StackAccess.of(stack.outputDir()));
      GrafanaClient grafana = new GrafanaClient(endpoints.transport(c, Component.GRAFANA,
          Optional.of(BasicAuth.fromSecretFile("admin", secret))));
      try {
        grafana.datasources();
        return Optional.empty();
      } catch (ApiException e) {
        if (!e.hasStatus(401)) {
          return Optional.empty();
        }
        return Optional.of("Grafana refuses the admin password in .env (GRAFANA_ADMIN_PASSWORD): it keeps the"
            + " password its volume was created with, or one changed in its UI. Put the password Grafana has now into"
            + " a file and run `keiko-mon secrets rotate grafana --grafana-current-password-file FILE`");
      }
    });
  }
}
