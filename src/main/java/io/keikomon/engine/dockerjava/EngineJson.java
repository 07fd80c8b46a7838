package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.Health;
import io.keikomon.engine.HealthProbe;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.PublishedPort;
import io.keikomon.engine.VolumeInfo;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.instant;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.stripSlash;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's JSON answers (Jackson's tree, no data binding) as keiko-mon's records, field for field as
 * {@link DockerJavaRecords} maps docker-java's models: EngineReadsDockerTest holds the two paths equal.
 */
final class EngineJson {
  private EngineJson() {}

  /** {@code GET /version}. */
  static EngineInfo info(String endpoint, JsonNode v) {
    return new EngineInfo(endpoint, text(v, "Version"), text(v, "ApiVersion"), text(v, "Os"), text(v, "Arch"));
  }

  /** One element of {@code GET /containers/json}. */
  static ContainerSummary summary(JsonNode c) {
    String id = text(c, "Id");
    JsonNode names = c.path("Names");
    String name = names.isArray() && names.size() > 0 ? stripSlash(names.get(0).asText()) : id;
    return new ContainerSummary(id, name, text(c, "Image"), text(c, "State"), labels(c.path("Labels")));
  }

  /** {@code GET /containers/{id}/json}. */
  static ContainerDetails details(JsonNode r) {
    JsonNode s = r.path("State");
    ContainerState state;
    if (!s.isObject()) {
      state = new ContainerState("unknown", false, -1, false, null, null, null, "");
    } else {
      Health health = null;
      JsonNode hs = s.path("Health");
      if (hs.isObject() && text(hs, "Status") != null) {
        List<HealthProbe> log = new ArrayList<>();
        for (JsonNode l : hs.path("Log")) {
          JsonNode code = l.path("ExitCode");
          log.add(new HealthProbe(instant(text(l, "Start")), instant(text(l, "End")),
              code.isNumber() ? (int) code.asLong() : -1, orEmpty(text(l, "Output"))));
        }
        health = new Health(text(hs, "Status"), hs.path("FailingStreak").asInt(0), log);
      }
      JsonNode exit = s.path("ExitCode");
      state = new ContainerState(text(s, "Status"), s.path("Running").asBoolean(false),
          exit.isNumber() ? (int) exit.asLong() : 0, s.path("OOMKilled").asBoolean(false),
          instant(text(s, "StartedAt")), instant(text(s, "FinishedAt")), health, orEmpty(text(s, "Error")));
    }
    List<PublishedPort> ports = new ArrayList<>();
    List<String> networks = new ArrayList<>();
    JsonNode settings = r.path("NetworkSettings");
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.path("Ports").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> exposed = it.next();
      // "9090/tcp" (docker-java's ExposedPort.parse: tcp when no protocol is given)
      String key = exposed.getKey();
      int slash = key.indexOf('/');
      int containerPort = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
      String protocol = slash < 0 ? "tcp" : key.substring(slash + 1);
      for (JsonNode b : exposed.getValue()) { // null (exposed, not published) iterates as nothing
        ports.add(new PublishedPort(text(b, "HostIp"), Integer.parseInt(text(b, "HostPort")), containerPort,
            protocol));
      }
    }
    settings.path("Networks").fieldNames().forEachRemaining(networks::add);
    ports.sort(DockerJavaRecords.PORT_ORDER);
    JsonNode config = r.path("Config");
    return new ContainerDetails(text(r, "Id"), stripSlash(text(r, "Name")), text(config, "Image"), text(r, "Image"),
        labels(config.path("Labels")), state, ports, networks, instant(text(r, "Created")));
  }

  /** {@code GET /networks} element, or {@code GET /networks/{id}}. */
  static NetworkInfo network(JsonNode n) {
    return new NetworkInfo(text(n, "Id"), text(n, "Name"), text(n, "Driver"), labels(n.path("Labels")));
  }

  /** {@code GET /volumes} element ({@code Volumes}), or {@code GET /volumes/{name}}. */
  static VolumeInfo volume(JsonNode v) {
    return new VolumeInfo(text(v, "Name"), text(v, "Driver"), labels(v.path("Labels")));
  }

  /** {@code GET /images/{ref}/json}. */
  static ImageInfo image(JsonNode i) {
    List<String> tags = new ArrayList<>();
    i.path("RepoTags").forEach(t -> tags.add(t.asText()));
    return new ImageInfo(text(i, "Id"), tags, labels(i.path("Config").path("Labels")));
  }

  /** A field's text; null when it is missing or JSON null (as docker-java's models leave it). */
  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Labels; a missing or null map is empty, like {@link DockerJavaRecords#nullToEmpty(Map)}. */
  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    return labels;
  }
}
