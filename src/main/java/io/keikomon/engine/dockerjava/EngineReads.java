package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's reads (and the volume create and remove that {@code up}'s project lock makes) as plain HTTP requests
 * over {@link EngineHttp}, their JSON read with Jackson's tree model ({@link EngineJson}). The first docker-java call
 * of a process costs about half a second of class loading and transport set-up before any byte moves; these cost a
 * few milliseconds, so a no-op {@code up} never waits for docker-java. Failures become the same
 * {@link io.keikomon.engine.DockerOperationException}s as docker-java's, through the same {@link EngineCalls}.
 */
final class EngineReads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String endpoint;
  private final EngineHttp http;
  private final EngineCalls calls;
  private final Duration timeout;

  /** @param timeout of each whole exchange (null: none; DeadlineGateway bounds calls anyway) */
  EngineReads(String endpoint, EngineHttp http, EngineCalls calls, Duration timeout) {
    this.endpoint = endpoint;
    this.http = http;
    this.calls = calls;
    this.timeout = timeout;
  }

  EngineInfo info() {
    return calls.call("ask the engine for its version", () -> EngineJson.info(endpoint, get("/version")));
  }

  List<ContainerSummary> listContainers(Map<String, String> labels) {
    return calls.call("list containers", () -> {
      List<ContainerSummary> result = new ArrayList<>();
      get(withLabels("/containers/json?all=1", labels)).forEach(c -> result.add(EngineJson.summary(c)));
      return result;
    });
  }

  List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return calls.call("list networks", () -> {
      List<NetworkInfo> result = new ArrayList<>();
      get(withLabels("/networks", labels)).forEach(n -> result.add(EngineJson.network(n)));
      return result;
    });
  }

  List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return calls.call("list volumes", () -> {
      List<VolumeInfo> result = new ArrayList<>();
      get(withLabels("/volumes", labels)).path("Volumes").forEach(v -> result.add(EngineJson.volume(v)));
      return result;
    });
  }

  Optional<ContainerDetails> inspectContainer(String idOrName) {
    return calls.lookup("inspect container " + idOrName,
        () -> EngineJson.details(get("/containers/" + segment(idOrName) + "/json")));
  }

  Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return calls.lookup("inspect network " + idOrName,
        () -> EngineJson.network(get("/networks/" + segment(idOrName))));
  }

  Optional<VolumeInfo> inspectVolume(String name) {
    return calls.lookup("inspect volume " + name, () -> EngineJson.volume(get("/volumes/" + segment(name))));
  }

  Optional<ImageInfo> inspectImage(String reference) {
    // the engine's route takes the reference's slashes as they are (images/{name:.*}/json)
    return calls.lookup("inspect image " + reference,
        () -> EngineJson.image(get("/images/" + segment(reference) + "/json")));
  }

  void createVolume(VolumeSpec spec) {
    calls.call("create volume " + spec.name(), () -> {
      ObjectNode body = JSON.createObjectNode()
          .put("Name", spec.name())
          .put("Driver", spec.driver() == null ? "local" : spec.driver());
      if (spec.labels() != null) {
        spec.labels().forEach(body.putObject("Labels")::put);
      }
      return send("POST", "/volumes/create", JSON.writeValueAsBytes(body));
    });
  }

  void removeVolume(String name) {
    calls.quietlyIfGone("remove volume " + name, () -> send("DELETE", "/volumes/" + segment(name), null));
  }

  private JsonNode get(String pathAndQuery) throws IOException, EngineStatusException {
    return JSON.readTree(send("GET", pathAndQuery, null));
  }

  /** The answer's body, or the engine's error as an {@link EngineStatusException}. */
  private byte[] send(String method, String pathAndQuery, byte[] json) throws IOException, EngineStatusException {
    EngineHttp.Answer a = http.call(method, pathAndQuery, json, timeout);
    if (!a.ok()) {
      throw new EngineStatusException(a.status(), EngineCalls.engineMessage(
          new String(a.body(), StandardCharsets.UTF_8)));
    }
    return a.body();
  }

  /** {@code path} with {@code filters={"label":["k=v",...]}} as docker-java's label filters send it (none: none). */
  static String withLabels(String path, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return path;
    }
    ObjectNode filters = JSON.createObjectNode();
    DockerJavaRecords.labelFilters(labels).forEach(filters.putArray("label")::add);
    return path + (path.contains("?") ? "&" : "?") + "filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8);
  }

  /** A name or reference in a path: percent-encoded except for what names and image references are made of. */
  static String segment(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
