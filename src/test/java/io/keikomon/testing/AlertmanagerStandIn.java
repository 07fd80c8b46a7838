package io.keikomon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small stand-in for Alertmanager's API v2 (api/v2/openapi.yaml) and management endpoints, for unit tests of
 * states the real one shows only with effort: a reload that fails (500 with the reason), basic auth from a web config
 * (401), and the generic faults of {@link HttpStandIn}. Alerts and silences are kept in memory; a silence with
 * equality matchers suppresses the alerts it matches, as in Alertmanager. The real Alertmanager is tested in
 * {@code ApiClientsLiveTest}.
 */
public final class AlertmanagerStandIn extends HttpStandIn {
  private final Object lock = new Object();
  private final Map<String, ObjectNode> alerts = new LinkedHashMap<>();
  private final Map<String, ObjectNode> silences = new LinkedHashMap<>();
  private volatile String reloadError;

  public AlertmanagerStandIn() {
    route("GET", "/-/healthy", r -> Answer.text(200, "OK"));
    route("GET", "/-/ready", r -> Answer.text(200, "OK"));
    route("POST", "/-/reload", r -> reloadError == null ? Answer.text(200, "")
        : Answer.text(500, "failed to reload config: " + reloadError));
    route("GET", "/api/v2/status", r -> Answer.json(200, Map.of(
        "cluster", Map.of("name", "01STANDIN", "status", "disabled", "peers", List.of()),
        "versionInfo", Map.of("version", "0.34.0-standin", "revision", "standin", "branch", "HEAD",
            "buildUser", "test", "buildDate", "20261201", "goVersion", "go1.25"),
        "config", Map.of("original", "route:\n  receiver: team\nreceivers:\n- name: team\n"),
        "uptime", "2026-12-01T10:00:00.000Z")));
    route("GET", "/api/v2/receivers", r -> Answer.json(200, List.of(Map.of("name", "team"))));
    route("GET", "/api/v2/alerts", r -> {
      synchronized (lock) {
        return Answer.json(200, alerts.values().stream().map(this::withStatus).toList());
      }
    });
    route("POST", "/api/v2/alerts", r -> {
      synchronized (lock) {
        for (JsonNode a : JSON.readTree(r.body())) {
          ObjectNode n = ((ObjectNode) a).deepCopy();
          String fp = Integer.toHexString(n.path("labels").toString().hashCode());
          n.put("fingerprint", fp);
          n.put("updatedAt", Instant.now().toString());
          if (!n.has("startsAt")) {
            n.put("startsAt", Instant.now().toString());
          }
          alerts.put(fp, n);
        }
      }
      return Answer.text(200, "");
    });
    route("GET", "/api/v2/silences", r -> {
      synchronized (lock) {
        return Answer.json(200, List.copyOf(silences.values()));
      }
    });
    route("POST", "/api/v2/silences", r -> {
      ObjectNode s = (ObjectNode) JSON.readTree(r.body());
      if (!Instant.parse(s.path("endsAt").asText()).isAfter(Instant.now())) {
        return Answer.json(400, "\"Failed to create silence: end time can't be in the past\"");
      }
      String id = s.hasNonNull("id") ? s.get("id").asText() : UUID.randomUUID().toString();
      s.put("id", id);
      s.set("status", JSON.createObjectNode().put("state", "active"));
      s.put("updatedAt", Instant.now().toString());
      synchronized (lock) {
        silences.put(id, s);
      }
      return Answer.json(200, Map.of("silenceID", id));
    });
    route("GET", "/api/v2/silence/([^/]+)", r -> {
      synchronized (lock) {
        ObjectNode s = silences.get(r.groups().get(0));
        return s == null ? new Answer(404, "application/json", "") : Answer.json(200, s);
      }
    });
    route("DELETE", "/api/v2/silence/([^/]+)", r -> {
      synchronized (lock) {
        ObjectNode s = silences.get(r.groups().get(0));
        if (s == null) {
          return new Answer(404, "application/json", "");
        }
        s.set("status", JSON.createObjectNode().put("state", "expired"));
        s.put("endsAt", Instant.now().toString());
        return Answer.text(200, "");
      }
    });
  }

  /** From now on, reloads fail with {@code reason} (null: they succeed). */
  public void failReloads(String reason) {
    this.reloadError = reason;
  }

  @Override
  protected Answer unauthorized(boolean credentialsGiven) {
    return Answer.text(401, "Unauthorized\n");
  }

  private ObjectNode withStatus(ObjectNode alert) {
    ObjectNode a = alert.deepCopy();
    List<String> silencedBy = new ArrayList<>();
    for (ObjectNode s : silences.values()) {
      if ("active".equals(s.path("status").path("state").asText()) && matches(s.path("matchers"), a.path("labels"))) {
        silencedBy.add(s.path("id").asText());
      }
    }
    ObjectNode status = a.putObject("status");
    status.put("state", silencedBy.isEmpty() ? "active" : "suppressed");
    ArrayNode sb = status.putArray("silencedBy");
    silencedBy.forEach(sb::add);
    status.putArray("inhibitedBy");
    a.putArray("receivers").addObject().put("name", "team");
    return a;
  }

  private static boolean matches(JsonNode matchers, JsonNode labels) {
    for (JsonNode m : matchers) {
      boolean eq = labels.path(m.path("name").asText()).asText().equals(m.path("value").asText());
      if (eq != m.path("isEqual").asBoolean(true) || m.path("isRegex").asBoolean()) {
        return false;
      }
    }
    return true;
  }
}
