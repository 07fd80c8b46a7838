package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.config.Secrets;
import io.keikomon.render.Renderer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Alertmanager 0.25 with the rendered alertmanager.yml, alerts posted with the labels the rendered
 * rules and Prometheus (external label, probe relabelling) give them: a critical alert mutes its own warning
 * and nothing else of the host or job; backend, PostgreSQL and Redis down mute the alerts they cause, read
 * from {@code status.inhibitedBy}.
 */
@Tag("live")
class AlertmanagerInhibitionLiveTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BACKEND = "host.docker.internal:8000";

  @Test
  void alertsAreMutedByTheirCriticalRuleAndByTheDependencyThatCausesThemOnly(@TempDir Path dir) throws Exception {
    Secrets secrets = new Secrets(Optional.of("pw"), Optional.of("https://hooks.slack.invalid/services/T0/B0/X"),
        Optional.empty(), Optional.empty());
    String rendered = Renderer.render(ContentFixtures.defaults(), secrets, null).get("alertmanager/alertmanager.yml");
    // The rendered file reads the Slack URL from the container's secret path; point it at a local file.
    Path slack = Files.writeString(dir.resolve("slack_url"), secrets.slackWebhookUrl().orElseThrow());
    Path config = Files.writeString(dir.resolve("alertmanager.yml"),
        rendered.replaceAll("api_url_file: \\S+", "api_url_file: " + slack));
    int port = HostServices.freePort();
    String am = "http://127.0.0.1:" + port;
    try (HostServices host = new HostServices(dir)) {
      host.start("alertmanager", Map.of(), "/usr/bin/prometheus-alertmanager", "--config.file=" + config,
          "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
          "--cluster.listen-address=");
      waitReady(am, dir);
      // Alertmanager names one inhibiting alert only, so each dependency gets its own stack (project label):
      // that also shows that an alert of one stack never mutes another stack's.
      List<Map<String, String>> posted = new ArrayList<>();
      String same = "same-alert";
      posted.add(alert(same, "cpu-critical", "HostHighCpuUsage", "critical", "host", "job", "node", "instance", "h1:9100"));
      posted.add(alert(same, "cpu-warning", "HostHighCpuUsage", "warning", "host", "job", "node", "instance", "h1:9100"));
      posted.add(alert(same, "cpu-warning-h2", "HostHighCpuUsage", "warning", "host", "job", "node", "instance", "h2:9100"));
      posted.add(alert(same, "memory-warning", "HostHighMemoryUsage", "warning", "host", "job", "node",
          "instance", "h1:9100"));
      posted.add(alert(same, "disk-critical-root", "HostHighDiskUsage", "critical", "host", "job", "node",
          "instance", "h1:9100", "mountpoint", "/"));
      posted.add(alert(same, "disk-warning-root", "HostHighDiskUsage", "warning", "host", "job", "node",
          "instance", "h1:9100", "mountpoint", "/"));
      posted.add(alert(same, "disk-warning-data", "HostHighDiskUsage", "warning", "host", "job", "node",
          "instance", "h1:9100", "mountpoint", "/data"));
      posted.add(alert(same, "errors-critical", "KeikoHighErrorRate", "critical", "backend", "job", "backend"));
      posted.add(alert(same, "registrations-warning", "KeikoAgentRegistrationFailures", "warning", "backend",
          "job", "backend"));
      posted.add(alert(same, "probe-ready", "KeikoHealthProbeFailing", "warning", "backend", "job", "health",
          "instance", BACKEND, "path", "/health/ready"));
      posted.add(alert("backend", "backend-down", "KeikoBackendDown", "critical", "backend", "job", "backend",
          "instance", BACKEND));
      posted.add(alert("backend", "probe-other-instance", "KeikoHealthProbeFailing", "warning", "backend",
          "job", "health", "instance", "other:8000", "path", "/health/live"));
      for (String path : List.of("/health/ready", "/health/live")) {
        posted.add(alert("backend", "probe" + path, "KeikoHealthProbeFailing", "warning", "backend", "job", "health",
            "instance", BACKEND, "path", path));
      }
      for (String dependency : List.of("postgres", "redis")) {
        posted.add(alert(dependency, "down", dependency.equals("postgres") ? "PostgresDown" : "RedisDown", "critical",
            dependency, "job", dependency, "instance", dependency + "-exporter:9000"));
        for (String path : List.of("/health/ready", "/health/live", "/health")) {
          posted.add(alert(dependency, "probe" + path, "KeikoHealthProbeFailing", "warning", "backend",
              "job", "health", "instance", BACKEND, "path", path));
        }
        posted.add(alert(dependency, "errors-critical", "KeikoHighErrorRate", "critical", "backend", "job", "backend"));
        posted.add(alert(dependency, "latency-warning", "KeikoHighLatencyP95", "warning", "backend", "job", "backend",
            "endpoint", "/api/chat"));
        posted.add(alert(dependency, "registrations-warning", "KeikoAgentRegistrationFailures", "warning",
            "backend", "job", "backend"));
        posted.add(alert(dependency, "cpu-warning", "HostHighCpuUsage", "warning", "host", "job", "node",
            "instance", "h1:9100"));
      }
      post(am, JSON.writeValueAsString(posted.stream().map(a -> Map.of("labels", a)).toList()));

      Map<String, Set<String>> expected = new TreeMap<>();
      posted.forEach(a -> expected.put(a.get("test_id"), Set.of()));
      expected.put("same-alert/cpu-warning", Set.of("same-alert/cpu-critical"));
      expected.put("same-alert/disk-warning-root", Set.of("same-alert/disk-critical-root"));
      expected.put("backend/probe/health/ready", Set.of("backend/backend-down"));
      expected.put("backend/probe/health/live", Set.of("backend/backend-down"));
      for (String dependency : List.of("postgres", "redis")) {
        for (String muted : List.of("probe/health/ready", "probe/health", "errors-critical", "latency-warning")) {
          expected.put(dependency + "/" + muted, Set.of(dependency + "/down"));
        }
      }
      // Alertmanager's inhibitor learns of posted alerts from its own subscription, a moment after the POST
      // returns: read until the answer is the expected one or 10 s have passed, then judge the last answer
      Map<String, Set<String>> inhibitedBy = inhibitedBy(am);
      for (int i = 0; i < 50 && !inhibitedBy.equals(expected); i++) {
        HostServices.sleep(200);
        inhibitedBy = inhibitedBy(am);
      }
      assertEquals(expected, inhibitedBy, "rendered: " + rendered);
    }
  }

  /**
   * A posted alert with the labels its rule and Prometheus give it, {@code project} being the stack's
   * external label; its test_id is "project/id".
   */
  private static Map<String, String> alert(String project, String id, String name, String severity, String service,
      String... more) {
    Map<String, String> labels = new TreeMap<>(Map.of("test_id", project + "/" + id, "alertname", name,
        "severity", severity, "service", service, "project", project));
    for (int i = 0; i < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  /** test_id of every alert, mapped to the test_ids of the alerts inhibiting it. */
  private static Map<String, Set<String>> inhibitedBy(String am) throws Exception {
    Map<String, String> idByFingerprint = new HashMap<>();
    Map<String, List<String>> fingerprints = new HashMap<>();
    for (JsonNode a : JSON.readTree(get(am + "/api/v2/alerts"))) {
      String id = a.path("labels").path("test_id").asText();
      idByFingerprint.put(a.path("fingerprint").asText(), id);
      List<String> by = new ArrayList<>();
      a.path("status").path("inhibitedBy").forEach(f -> by.add(f.asText()));
      fingerprints.put(id, by);
    }
    Map<String, Set<String>> out = new TreeMap<>();
    fingerprints.forEach((id, by) -> out.put(id, by.stream().map(idByFingerprint::get).collect(Collectors.toSet())));
    return out;
  }

  private static void waitReady(String am, Path logs) {
    for (int i = 0; i < 100; i++) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am + "/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (Exception e) {
        // not listening yet
      }
      HostServices.sleep(200);
    }
    throw new AssertionError("Alertmanager not ready; see " + logs.resolve("alertmanager.log"));
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void post(String am, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }
}
