package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.core.Console;
import io.keikomon.core.Workspace;
import io.keikomon.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered default checked by the real tools on this host: promtool (Debian's Prometheus 2.42), amtool
 * (Alertmanager 0.25) and docker-compose v1.29. A missing tool fails the test.
 */
@Tag("oracle")
class RenderOracleTest {
  @TempDir Path dir;

  @Test
  void promtoolAcceptsTheRenderedPrometheusConfig() throws Exception {
    Path out = render(RenderFixtures.allSecrets());

    Tool r = Tool.run(out, "promtool", "check", "config", "prometheus/prometheus.yml");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.output().contains("SUCCESS"), r::toString);
  }

  @Test
  void amtoolAcceptsTheRenderedAlertmanagerConfigWithSlack() throws Exception {
    Path out = render(RenderFixtures.allSecrets());

    Tool r = Tool.run(out, "amtool", "check-config", "alertmanager/alertmanager.yml");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.output().contains("SUCCESS"), r::toString);
  }

  @Test
  void amtoolAcceptsTheRenderedAlertmanagerConfigWithoutSlack() throws Exception {
    Path out = render(RenderFixtures.grafanaOnly());

    Tool r = Tool.run(out, "amtool", "check-config", "alertmanager/alertmanager.yml");

    assertEquals(0, r.exitCode(), r::toString);
  }

  @Test
  void dockerComposeV1AcceptsTheRenderedComposeFile() throws Exception {
    for (Secrets secrets : List.of(RenderFixtures.allSecrets(), RenderFixtures.grafanaOnly())) {
      Path out = render(secrets);

      Tool r = Tool.run(out, "docker-compose", "-p", "keiko", "-f", RenderPlan.COMPOSE_FILE, "config", "-q");

      assertEquals(0, r.exitCode(), r::toString);
    }
  }

  @Test
  void dockerComposeV1ReadsServicesPortsAndSecretsAsIntended() throws Exception {
    Path out = render(RenderFixtures.allSecrets());

    Tool r = Tool.run(out, "docker-compose", "-p", "keiko", "-f", RenderPlan.COMPOSE_FILE, "config");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.output().contains("container_name: keiko-prometheus"), r::toString);
    assertTrue(r.output().contains("published: 9090") || r.output().contains("127.0.0.1:9090:9090"), r::toString);
    assertTrue(r.output().contains(out.resolve("secrets/grafana_admin_password").toString()), r::toString);
    assertTrue(r.output().contains("condition: service_started"), r::toString);
    assertTrue(!r.output().contains("condition: service_healthy"), r::toString);
  }

  @Test
  void blackboxExporterAcceptsTheRenderedModules() throws Exception {
    Path out = render(RenderFixtures.allSecrets());

    Tool r = Tool.run(out, "prometheus-blackbox-exporter", "--config.check", "--config.file=blackbox/blackbox.yml");

    assertEquals(0, r.exitCode(), r::toString);
  }

  @Test
  void aMinimalBackendOnlyStackPassesPromtoolAndDockerCompose() throws Exception {
    Path out = render("""
        components: {grafana: false, alertmanager: false, node-exporter: false, blackbox-exporter: false}
        postgres: {enabled: false}
        redis: {enabled: false}
        tracing: {enabled: false}
        prometheus: {scrape_interval: 5s}
        extra_targets:
          - {job: worker, targets: ["host.docker.internal:9200"], metrics_path: /stats, scheme: https}
        """, RenderFixtures.grafanaOnly());

    Tool promtool = Tool.run(out, "promtool", "check", "config", "prometheus/prometheus.yml");
    Tool compose = Tool.run(out, "docker-compose", "-p", "keiko", "-f", RenderPlan.COMPOSE_FILE, "config", "-q");

    assertEquals(0, promtool.exitCode(), promtool::toString);
    assertEquals(0, compose.exitCode(), compose::toString);
  }

  private Path render(Secrets secrets) throws IOException {
    return render(null, secrets);
  }

  /** Renders keiko.yml ({@code null}: the default) into a real folder, as `keiko-mon render` does. */
  private Path render(String keikoYml, Secrets secrets) throws IOException {
    Path project = Files.createTempDirectory(dir, "project");
    Workspace ws = new Workspace(project, Map.of(), Clock.systemUTC());
    if (keikoYml != null) {
      Files.writeString(ws.configFile(), keikoYml);
    }
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    new RenderService(ws, new QuietConsole()).render(cfg, secrets, new RenderService.Options(false, false));
    return project.resolve(cfg.output());
  }

  /** The render's messages are not what these tests check. */
  private static final class QuietConsole implements Console {
    @Override
    public void out(String line) {}

    @Override
    public void info(String line) {}

    @Override
    public void warn(String line) {}
  }
}
