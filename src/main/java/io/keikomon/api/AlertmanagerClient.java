package io.keikomon.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.keikomon.api.AlertmanagerModel.Alert;
import io.keikomon.api.AlertmanagerModel.PostableAlert;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.api.AlertmanagerModel.Receiver;
import io.keikomon.api.AlertmanagerModel.Silence;
import io.keikomon.api.AlertmanagerModel.Status;
import java.util.List;

/** Alertmanager's management endpoints and API v2 (v1 answers 410 since 0.27). */
public final class AlertmanagerClient {
  private final JsonApi api;

  public AlertmanagerClient(ApiTransport transport) {
    this.api = new JsonApi(transport);
  }

  public ApiTransport transport() {
    return api.transport();
  }

  public boolean healthy() {
    return api.probe(ApiRequest.get("check Alertmanager health", "/-/healthy"));
  }

  public boolean ready() {
    return api.probe(ApiRequest.get("check Alertmanager readiness", "/-/ready"));
  }

  public Status status() {
    return api.call(ApiRequest.get("read Alertmanager status", "/api/v2/status"), Status.class);
  }

  /** {@code POST /-/reload}; Alertmanager answers 500 with the reason when the new configuration is invalid. */
  public void reload() {
    api.call(ApiRequest.post("reload Alertmanager configuration", "/-/reload"));
  }

  /** Every alert, active, silenced, inhibited and unprocessed. */
  public List<Alert> alerts() {
    return alerts(new String[0]);
  }

  /** The alerts matching every matcher, e.g. {@code alertname="BackendDown"}. */
  public List<Alert> alerts(String... filters) {
    return api.call(ApiRequest.get("read Alertmanager alerts",
        JsonApi.path("/api/v2/alerts", JsonApi.repeated("filter", filters))),
        new TypeReference<List<Alert>>() { });
  }

  public void postAlerts(List<PostableAlert> alerts) {
    api.call(ApiRequest.postJson("send alerts to Alertmanager", "/api/v2/alerts", JsonApi.json(alerts)));
  }

  /** Active, pending and expired silences. */
  public List<Silence> silences(String... filters) {
    return api.call(ApiRequest.get("read Alertmanager silences",
        JsonApi.path("/api/v2/silences", JsonApi.repeated("filter", filters))), new TypeReference<List<Silence>>() { });
  }

  public Silence silence(String id) {
    return api.call(ApiRequest.get("read Alertmanager silence " + id, "/api/v2/silence/" + JsonApi.segment(id)),
        Silence.class);
  }

  /** Creates (or, with an id, updates) a silence; returns its id. */
  public String createSilence(PostableSilence silence) {
    SilenceId id = api.call(ApiRequest.postJson("create an Alertmanager silence", "/api/v2/silences",
        JsonApi.json(silence)), SilenceId.class);
    return id.silenceID();
  }

  /** {@code DELETE /api/v2/silence/<id>}: the silence expires now (Alertmanager keeps it as expired). */
  public void expireSilence(String id) {
    api.call(ApiRequest.delete("expire Alertmanager silence " + id, "/api/v2/silence/" + JsonApi.segment(id)));
  }

  /** {@code /metrics} in Prometheus' text format, e.g. {@code alertmanager_notifications_failed_total}. */
  public String metrics() {
    return api.call(ApiRequest.get("read Alertmanager metrics", "/metrics")).body();
  }

  public List<Receiver> receivers() {
    return api.call(ApiRequest.get("read Alertmanager receivers", "/api/v2/receivers"),
        new TypeReference<List<Receiver>>() { });
  }

  private record SilenceId(String silenceID) {
  }
}
