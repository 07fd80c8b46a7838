package io.keikomon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.core.OperationFailedException;
import io.keikomon.docker.ComposeModel.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Applies changed config files to a running service with {@code POST /-/reload} and proves it took effect:
 * Prometheus must report {@code reloadConfigSuccess} with a newer {@code lastConfigTime}; Alertmanager must
 * serve the file now on disk as its {@code config.original}; the blackbox exporter must answer 200.
 */
final class Reloader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DockerGateway docker;
  private final boolean engineLocal;

  Reloader(DockerGateway docker, boolean engineLocal) {
    this.docker = docker;
    this.engineLocal = engineLocal;
  }

  /** @throws OperationFailedException with the service's own reason when the reload fails or is not verified */
  void reload(ReloadKind kind, ComposeModel model, Service s, ContainerDetails c) {
    ServiceEndpoint http = ServiceEndpoint.of(docker, engineLocal, c, kind.port());
    switch (kind) {
      case PROMETHEUS -> prometheus(s, http);
      case ALERTMANAGER -> alertmanager(model, s, http);
      case BLACKBOX -> post(s, http);
    }
  }

  private void prometheus(Service s, ServiceEndpoint http) {
    // lastConfigTime has whole seconds: a reload in the same second as the previous load keeps the same value
    Instant posted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    post(s, http);
    JsonNode after = runtimeInfo(s, http).orElseThrow(() -> failed(s, "its runtime info could not be read after the reload"));
    if (!after.path("reloadConfigSuccess").asBoolean(false)) {
      throw failed(s, "it reports reloadConfigSuccess=false (see `keiko-mon logs " + s.name() + "`)");
    }
    Instant at = OffsetDateTime.parse(after.path("lastConfigTime").asText()).toInstant();
    if (at.isBefore(posted)) {
      throw failed(s, "its lastConfigTime (" + at + ") is older than the reload request");
    }
  }

  private Optional<JsonNode> runtimeInfo(Service s, ServiceEndpoint http) {
    ServiceEndpoint.Response r = http.get("/api/v1/status/runtimeinfo");
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      JsonNode data = JSON.readTree(r.body()).path("data");
      return data.hasNonNull("lastConfigTime") ? Optional.of(data) : Optional.empty();
    } catch (IOException e) {
      throw failed(s, "its runtime info is not JSON: " + e.getMessage());
    }
  }

  private void alertmanager(ComposeModel model, Service s, ServiceEndpoint http) {
    post(s, http);
    Optional<Path> file = configFileOnHost(model, s);
    if (file.isEmpty()) {
      return;
    }
    ServiceEndpoint.Response r = http.get("/api/v2/status");
    try {
      String original = JSON.readTree(r.body()).path("config").path("original").asText();
      String onDisk = Files.readString(file.get());
      if (!r.ok() || !original.strip().equals(onDisk.strip())) {
        throw failed(s, "it still serves the previous configuration (GET /api/v2/status config.original)");
      }
    } catch (IOException e) {
      throw failed(s, "its status could not be read: " + e.getMessage());
    }
  }

  private void post(Service s, ServiceEndpoint http) {
    ServiceEndpoint.Response r = http.post("/-/reload");
    if (!r.ok()) {
      throw failed(s, (r.status() == 0 ? "" : "HTTP " + r.status() + ": ") + r.body().strip());
    }
  }

  /** The host file behind {@code --config.file=...}, found through the service's bind mounts. */
  static Optional<Path> configFileOnHost(ComposeModel model, Service s) {
    String flag = s.command().orElse(java.util.List.of()).stream()
        .filter(a -> a.startsWith("--config.file=")).findFirst().orElse(null);
    if (flag == null) {
      return Optional.empty();
    }
    String inContainer = flag.substring("--config.file=".length());
    for (ComposeModel.Mount m : s.mounts()) {
      if (m.type() == ComposeModel.MountType.BIND
          && (inContainer.equals(m.target()) || inContainer.startsWith(m.target() + "/"))) {
        Path source = model.workingDir().resolve(m.source());
        return Optional.of(inContainer.equals(m.target()) ? source
            : source.resolve(inContainer.substring(m.target().length() + 1)));
      }
    }
    return Optional.empty();
  }

  private static OperationFailedException failed(ComposeModel.Service s, String why) {
    return new OperationFailedException("reloading " + s.name() + " failed: " + why,
        "the running " + s.name() + " keeps its previous configuration; fix the file and run `keiko-mon up` again"
            + " (`keiko-mon validate` checks it first)");
  }
}
