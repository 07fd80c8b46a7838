package io.keikomon.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.ApiException;
import io.keikomon.api.ApiRequest;
import io.keikomon.api.ApiResponse;
import io.keikomon.api.ApiTransport;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel.Datasource;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.KeikoException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.SecretFile;
import io.keikomon.stack.ComponentEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Applies changed config files to a running service and proves it took effect: Prometheus must report
 * {@code reloadConfigSuccess} with a {@code lastConfigTime} not older than the request, Alertmanager the same through
 * its reload metrics; the blackbox exporter must answer 200 (it answers 500 with the reason when the new file is
 * invalid). Grafana re-reads its provisioning through its admin API, and each provisioned datasource is read back.
 */
public final class Reloader {
  /** Where Grafana reads provisioning inside its container (its documented default). */
  static final String GRAFANA_PROVISIONING = "/etc/grafana/provisioning";
  private static final ObjectMapper STRUCTURE = new ObjectMapper();

  private final ComponentEndpoints endpoints;
  private final Path renderedDir;

  /** @param renderedDir the folder of the compose file, holding {@code secrets/} */
  Reloader(ComponentEndpoints endpoints, Path renderedDir) {
    this.endpoints = endpoints;
    this.renderedDir = renderedDir;
  }

  /**
   * Grafana did not take the new provisioning through its API (refused, unreachable, or the datasource read back is
   * not the file's); a new container applies it instead.
   */
  static final class ReloadRefused extends RuntimeException {
    ReloadRefused(String why, Throwable cause) {
      super(why, cause, false, false);
    }
  }

  /**
   * @throws OperationFailedException with the service's own reason when the reload fails or is not verified
   * @throws ReloadRefused when Grafana's provisioning API does not apply the files
   */
  void reload(ReloadKind kind, Service s, ContainerDetails c) {
    switch (kind) {
      case PROMETHEUS -> prometheus(s, new PrometheusClient(endpoints.transport(c, kind.component())));
      case ALERTMANAGER -> alertmanager(s, endpoints.transport(c, kind.component()));
      case BLACKBOX -> post(s, endpoints.transport(c, kind.component()));
      case GRAFANA -> grafana(s, c);
      case NODE_EXPORTER -> served(s, endpoints.transport(c, kind.component()), "/metrics");
    }
  }

  private void prometheus(Service s, PrometheusClient prometheus) {
    // lastConfigTime has whole seconds: a reload in the same second as the previous load keeps the same value
    Instant posted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    RuntimeInfo after;
    try {
      prometheus.reload();
      after = prometheus.runtimeInfo();
    } catch (ApiException e) {
      throw failed(s, e);
    }
    if (!after.reloadConfigSuccess()) {
      throw failed(s, "it reports reloadConfigSuccess=false (see `keiko-mon logs " + s.name() + "`)");
    }
    if (after.lastConfigTime() == null || after.lastConfigTime().isBefore(posted)) {
      throw failed(s, "its lastConfigTime (" + after.lastConfigTime() + ") is older than the reload request");
    }
  }

  /**
   * Alertmanager's {@code /api/v2/status} {@code config.original} is the configuration re-serialised with every
   * default filled in, so it cannot be compared with the file; its own reload metrics say the same thing exactly.
   */
  private void alertmanager(Service s, ApiTransport transport) {
    Instant posted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String metrics;
    try {
      new AlertmanagerClient(transport).reload();
      ApiRequest read = ApiRequest.get("read Alertmanager metrics", "/metrics");
      ApiResponse r = transport.send(read);
      if (!r.ok()) {
        throw ApiException.status(read, r);
      }
      metrics = r.body();
    } catch (ApiException e) {
      throw failed(s, e);
    }
    Double ok = metric(metrics, "alertmanager_config_last_reload_successful");
    Double at = metric(metrics, "alertmanager_config_last_reload_success_timestamp_seconds");
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

  private void post(Service s, ApiTransport transport) {
    ApiRequest req = ApiRequest.post("reload " + s.name() + " configuration", "/-/reload");
    try {
      ApiResponse r = transport.send(req);
      if (!r.ok()) {
        throw ApiException.status(req, r);
      }
    } catch (ApiException e) {
      throw failed(s, e);
    }
  }

  /** A service that re-reads its files by itself: it must answer {@code path} with what render wrote. */
  private void served(Service s, ApiTransport transport, String path) {
    ApiRequest req = ApiRequest.get("read " + s.name() + " " + path, path);
    try {
      ApiResponse r = transport.send(req);
      if (!r.ok()) {
        throw ApiException.status(req, r);
      }
    } catch (ApiException e) {
      throw failed(s, e);
    }
  }

  /**
   * Datasources first (dashboards refer to them by uid), then dashboard providers and dashboards; then every
   * datasource of the provisioning files must read back with the file's name, type, url and jsonData.
   */
  private void grafana(Service s, ContainerDetails c) {
    GrafanaClient grafana = new GrafanaClient(endpoints.transport(c, ReloadKind.GRAFANA.component(),
        Optional.of(BasicAuth.fromSecretFile("admin", adminPasswordFile(s)))));
    try {
      grafana.reloadDatasourceProvisioning();
      grafana.reloadDashboardProvisioning();
    } catch (KeikoException e) {
      throw new ReloadRefused(e.getMessage() + (e.getMessage().contains("HTTP 401") ? " (Grafana keeps the admin"
          + " password of its volume; GRAFANA_ADMIN_PASSWORD applies only to a new one: `keiko-mon secrets rotate"
          + " grafana --grafana-current-password-file FILE` sets it through Grafana's API)" : ""), e);
    }
    Optional<Path> provisioning = s.mounts().stream().filter(m -> m.target().equals(GRAFANA_PROVISIONING))
        .map(m -> renderedDir.resolve(m.source())).findFirst();
    if (provisioning.isEmpty()) {
      return;
    }
    for (Map<?, ?> want : provisionedDatasources(provisioning.get().resolve("datasources"))) {
      String uid = String.valueOf(want.get("uid"));
      Datasource got;
      try {
        got = grafana.datasource(uid);
      } catch (ApiException e) {
        throw new ReloadRefused("the reload was accepted but " + e.getMessage(), e);
      }
      String mismatch = mismatch(want, got);
      if (mismatch != null) {
        throw new ReloadRefused("the reload was accepted but datasource " + uid + " still has " + mismatch, null);
      }
    }
  }

  /**
   * The host file mounted where {@code GF_SECURITY_ADMIN_PASSWORD__FILE} points (the secret Grafana read its admin
   * password from), else the one render writes.
   */
  Path adminPasswordFile(Service s) {
    String inContainer = s.environment().get("GF_SECURITY_ADMIN_PASSWORD__FILE");
    return s.mounts().stream().filter(m -> m.type() == ComposeModel.MountType.BIND && m.target().equals(inContainer))
        .map(m -> renderedDir.resolve(m.source())).findFirst()
        .orElse(renderedDir.resolve(RenderedTree.SECRETS_DIR + SecretFile.GRAFANA_ADMIN_PASSWORD));
  }

  /** The first field where Grafana's datasource differs from the provisioning file, or null. */
  static String mismatch(Map<?, ?> want, Datasource got) {
    for (String field : List.of("name", "type", "url")) {
      Object w = want.get(field);
      String g = switch (field) {
        case "name" -> got.name();
        case "type" -> got.type();
        default -> got.url();
      };
      if (w != null && !String.valueOf(w).equals(g)) {
        return field + " " + g + " (the file says " + w + ")";
      }
    }
    if (want.get("jsonData") instanceof Map<?, ?> json) {
      for (Map.Entry<?, ?> e : json.entrySet()) {
        JsonNode g = got.jsonData() == null ? null : got.jsonData().get(String.valueOf(e.getKey()));
        // lists and maps (exemplarTraceIdDestinations) compare as JSON; scalars as the text YAML gave them
        boolean same = e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>
            ? g != null && STRUCTURE.valueToTree(e.getValue()).equals(g)
            : g != null && String.valueOf(e.getValue()).equals(g.asText());
        if (!same) {
          return "jsonData." + e.getKey() + " " + (g == null ? null : g.isValueNode() ? g.asText() : g) + " (the file says "
              + e.getValue() + ")";
        }
      }
    }
    return null;
  }

  /** The datasources (with a uid) of every {@code *.yml}/{@code *.yaml} file in {@code dir}. */
  static List<Map<?, ?>> provisionedDatasources(Path dir) {
    List<Map<?, ?>> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
          .toList()) {
        Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
        if (root instanceof Map<?, ?> top && top.get("datasources") instanceof List<?> list) {
          list.stream().filter(d -> d instanceof Map<?, ?> m && m.get("uid") != null)
              .forEach(d -> all.add((Map<?, ?>) d));
        }
      }
    } catch (IOException e) {
      throw FileAccessException.of("read", dir, e);
    } catch (YamlEngineException e) {
      throw new ReloadRefused("a datasource provisioning file in " + dir + " is not YAML: " + e.getMessage(), e);
    }
    return all;
  }

  private static OperationFailedException failed(Service s, ApiException e) {
    return new OperationFailedException("reloading " + s.name() + " failed: " + e.getMessage(), hint(s), e);
  }

  private static OperationFailedException failed(ComposeModel.Service s, String why) {
    return new OperationFailedException("reloading " + s.name() + " failed: " + why, hint(s));
  }

  private static String hint(Service s) {
    return "the running " + s.name() + " keeps its previous configuration; fix the file and run `keiko-mon up` again"
        + " (`keiko-mon validate` checks it first)";
  }
}
