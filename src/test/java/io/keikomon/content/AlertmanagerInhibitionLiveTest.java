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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Alertmanager 0.25 with the rendered alertmanager.yml: a critical alert mutes the warning of the
 * same service and instance, and nothing else.
 */
@Tag("live")
class AlertmanagerInhibitionLiveTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void criticalMutesTheWarningOfTheSameServiceAndInstanceOnly(@TempDir Path dir) throws Exception {
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
      post(am, """
          [
            {"labels": {"alertname": "HostHighCpuUsage", "severity": "critical", "service": "host", "instance": "h1"}},
            {"labels": {"alertname": "HostHighCpuUsage", "severity": "warning", "service": "host", "instance": "h1"}},
            {"labels": {"alertname": "HostHighMemoryUsage", "severity": "warning", "service": "host", "instance": "h1"}},
            {"labels": {"alertname": "HostHighCpuUsage", "severity": "warning", "service": "host", "instance": "h2"}},
            {"labels": {"alertname": "KeikoHighLatencyP95", "severity": "warning", "service": "backend", "instance": "h1"}}
          ]""");

      Map<String, String> states = new TreeMap<>();
      for (JsonNode a : JSON.readTree(get(am + "/api/v2/alerts"))) {
        JsonNode l = a.path("labels");
        states.put(l.path("alertname").asText() + "/" + l.path("severity").asText() + "/" + l.path("instance").asText(),
            a.path("status").path("state").asText());
      }
      assertEquals(Map.of(
          "HostHighCpuUsage/critical/h1", "active",
          "HostHighCpuUsage/warning/h1", "suppressed",
          "HostHighMemoryUsage/warning/h1", "suppressed",
          "HostHighCpuUsage/warning/h2", "active",
          "KeikoHighLatencyP95/warning/h1", "active"), states, "rendered: " + rendered);
    }
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
