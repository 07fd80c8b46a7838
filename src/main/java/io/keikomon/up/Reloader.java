package io.keikomon.up;

import io.keikomon.compose.ComposeModel;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.core.OperationFailedException;
import io.keikomon.compose.ComposeModel.Service;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Applies changed config files to a running service with {@code POST /-/reload} and proves it took effect:
 * Prometheus must report {@code reloadConfigSuccess} with a {@code lastConfigTime} not older than the request,
 * Alertmanager the same through its reload metrics; the blackbox exporter must answer 200 (it answers 500 with
 * the reason when the new file is invalid).
 */
public final class Reloader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DockerGateway docker;
  private final boolean engineLocal;

  Reloader(DockerGateway docker, boolean engineLocal) {
    this.docker = docker;
    this.engineLocal = engineLocal;
  }

  /** @throws OperationFailedException with the service's own reason when the reload fails or is not verified */
  void reload(ReloadKind kind, Service s, ContainerDetails c) {
    ServiceEndpoint http = ServiceEndpoint.of(docker, engineLocal, c, kind.port());
    switch (kind) {
      case PROMETHEUS -> prometheus(s, http);
      case ALERTMANAGER -> alertmanager(s, http);
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

  /**
   * Alertmanager's {@code /api/v2/status} {@code config.original} is the configuration re-serialised with every
   * default filled in, so it cannot be compared with the file; its own reload metrics say the same thing exactly.
   */
  private void alertmanager(Service s, ServiceEndpoint http) {
    Instant posted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    post(s, http);
    ServiceEndpoint.Response r = http.get("/metrics");
    if (!r.ok()) {
      throw failed(s, "its /metrics could not be read after the reload: " + r.body().strip());
    }
    Double ok = metric(r.body(), "alertmanager_config_last_reload_successful");
    Double at = metric(r.body(), "alertmanager_config_last_reload_success_timestamp_seconds");
    if (ok == null || ok != 1.0) {
      throw failed(s, "it reports alertmanager_config_last_reload_successful " + ok
          + " (see `keiko-mon logs " + s.name() + "`)");
    }
    if (at == null || at < posted.getEpochSecond()) {
      throw failed(s, "its last successful reload (" + at + ") is older than the reload request");
    }
  }

  /** The value of an unlabelled sample in a Prometheus text exposition, or null. */
  static Double metric(String exposition, String name) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.valueOf(line.substring(name.length() + 1).strip().split(" ")[0]);
      }
    }
    return null;
  }

  private void post(Service s, ServiceEndpoint http) {
    ServiceEndpoint.Response r = http.post("/-/reload");
    if (!r.ok()) {
      throw failed(s, (r.status() == 0 ? "" : "HTTP " + r.status() + ": ") + r.body().strip());
    }
  }

  private static OperationFailedException failed(ComposeModel.Service s, String why) {
    return new OperationFailedException("reloading " + s.name() + " failed: " + why,
        "the running " + s.name() + " keeps its previous configuration; fix the file and run `keiko-mon up` again"
            + " (`keiko-mon validate` checks it first)");
  }
}
