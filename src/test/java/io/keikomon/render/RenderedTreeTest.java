package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Properties of the rendered tree that users and the other commands rely on. */
class RenderedTreeTest {
  private final KeikoConfig defaults = ConfigLoader.defaults();

  @Test
  void secretValuesAppearOnlyInTheirSecretFiles() {
    Secrets s = RenderFixtures.allSecrets();
    RenderedTree tree = Renderer.render(defaults, s, null);

    List<String> values = List.of(s.grafanaAdminPassword().orElseThrow(), s.slackWebhookUrl().orElseThrow(),
        s.postgresPassword().orElseThrow(), s.redisPassword().orElseThrow());
    for (Map.Entry<String, String> file : tree.files().entrySet()) {
      if (!RenderedTree.isSecret(file.getKey())) {
        for (String value : values) {
          assertFalse(file.getValue().contains(value), file.getKey() + " contains a secret");
        }
      }
    }
    assertEquals("{\"redis://host.docker.internal:6379\": \"test-redis-password\"}\n",
        tree.get("secrets/redis_passwords.json"), "redis_exporter's password file maps REDIS_ADDR to the password");
  }

  @Test
  void everyPublishedPortBindsToTheConfiguredAddress() {
    String compose = Renderer.render(defaults, RenderFixtures.allSecrets(), null).get(RenderPlan.COMPOSE_FILE);

    Matcher ports = Pattern.compile("(?m)^      - \"([^\"]*:\\d+:\\d+)\"$").matcher(compose);
    int count = 0;
    while (ports.find()) {
      assertTrue(ports.group(1).startsWith("127.0.0.1:"), ports.group(1));
      count++;
    }
    assertEquals(6, count, "grafana, prometheus, alertmanager, jaeger UI and its two OTLP ports");
  }

  @Test
  void composeFileHasNeitherVersionNorNameAtTheTop() {
    String compose = Renderer.render(defaults, RenderFixtures.allSecrets(), null).get(RenderPlan.COMPOSE_FILE);

    assertFalse(Pattern.compile("(?m)^(version|name):").matcher(compose).find(), compose);
  }

  /** Debian's promtool is 2.42, so options Prometheus 3 removed would pass it; keep them out by hand. */
  @Test
  void nothingThatPrometheus3RemovedIsUsed() {
    RenderedTree tree = Renderer.render(defaults, RenderFixtures.allSecrets(), null);
    String all = String.join("\n", tree.files().values());

    for (String removed : List.of("--storage.tsdb.retention=", "--alertmanager.timeout", "--web.console.",
        "api_version: v1", "--enable-feature=agent", "remote-write-receiver", "scrape_classic_histograms",
        "--storage.tsdb.allow-overlapping-blocks")) {
      assertFalse(all.contains(removed), removed);
    }
  }

  @Test
  void disabledComponentsLeaveNoTraceAndNoUnsetSecretIsReferenced() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("""
        components: {grafana: false, alertmanager: false, node-exporter: false, blackbox-exporter: false}
        postgres: {enabled: false}
        redis: {enabled: false}
        tracing: {enabled: false}
        security: {auth: false, tls: false}
        """);
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    Secrets none = new Secrets(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    RenderedTree tree = Renderer.render(cfg, none, null);

    assertEquals(List.of("docker-compose.monitoring.yml", "prometheus/prometheus.yml", "prometheus/rules/alerts.yml",
        "prometheus/rules/recording.yml", "prometheus/tests/alerts.test.yml"), List.copyOf(tree.paths()));
    String compose = tree.get(RenderPlan.COMPOSE_FILE);
    assertFalse(compose.contains("secrets:"), compose);
    assertFalse(compose.contains("depends_on"), compose);
    String prometheus = tree.get("prometheus/prometheus.yml");
    assertFalse(prometheus.contains("alerting:"), prometheus);
    assertFalse(prometheus.contains("job_name: health"), "no blackbox, no probes");
    assertTrue(prometheus.contains("job_name: backend"), prometheus);
  }

  @Test
  void aShortScrapeIntervalAlsoShortensTheScrapeTimeout() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("prometheus: {scrape_interval: 5s}\n");

    String prometheus = Renderer.render(ConfigLoader.load(ws).config(), RenderFixtures.allSecrets(), null)
        .get("prometheus/prometheus.yml");

    assertTrue(prometheus.contains("  scrape_interval: 5s\n  scrape_timeout: 5s\n"), prometheus);
  }

  @Test
  void extraTargetsBecomeScrapeJobs() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("""
        extra_targets:
          - {job: worker, targets: ["host.docker.internal:9200"], metrics_path: /stats, scheme: https}
        """);

    String prometheus = Renderer.render(ConfigLoader.load(ws).config(), RenderFixtures.allSecrets(), null)
        .get("prometheus/prometheus.yml");

    assertTrue(prometheus.contains("""
          - job_name: worker
            metrics_path: /stats
            scheme: https
            static_configs:
              - targets:
                  - host.docker.internal:9200
        """), prometheus);
  }

  @Test
  void withoutGrafanaPasswordRenderingRefusesRatherThanUsingADefault() {
    Secrets none = new Secrets(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Renderer.render(defaults, none, null));
    assertTrue(e.getMessage().contains("Grafana admin password"), e.getMessage());
  }

  @Test
  void overridesComeFromTheGivenFolderOnAnyFileSystem() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    Path override = ws.templateOverrides().resolve("grafana/provisioning/dashboards/dashboards.yml.ftl");
    Files.createDirectories(override.getParent());
    Files.writeString(override, "apiVersion: 1\nproviders: [] # ${project}\n");

    RenderedTree tree = Renderer.render(defaults, RenderFixtures.allSecrets(), ws.templateOverrides());

    assertEquals("apiVersion: 1\nproviders: [] # keiko\n", tree.get("grafana/provisioning/dashboards/dashboards.yml"));
    assertTrue(tree.get("prometheus/prometheus.yml").startsWith("# Generated by keiko-mon"), "others stay built in");
  }
}
