package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swarm mode's rendered tree checked by the real tools: the docker CLI's own stack-file loader
 * ({@code docker stack config}, the code {@code docker stack deploy} runs first), promtool and amtool on the
 * per-mode prometheus.yml and alertmanager.yml.
 */
@Tag("oracle")
class SwarmRenderOracleTest {
  static final String SWARM_YML = """
      mode: swarm
      alerting: {none: true}
      ha:
        grafana:
          database: {host: host.docker.internal, database: grafana, user: grafana}
      federation:
        targets: ["eu.example.net:9090"]
      """;

  @TempDir Path dir;

  private static Secrets secrets() {
    return new Secrets(Optional.of("test-grafana-password"), Optional.of("https://hooks.slack.invalid/services/T0/B0/XYZ"),
        Optional.of("test-pg-password"), Optional.of("test-redis-password"), Optional.of("test-grafana-db-password"));
  }

  @Test
  void dockerStackConfigAcceptsTheStackFile() throws Exception {
    Path out = render(SWARM_YML);
    assertFalse(Files.exists(out.resolve(RenderPlan.COMPOSE_FILE)), "swarm mode renders no compose file");

    Tool r = Tool.run(out, "docker", "stack", "config", "-c", RenderPlan.STACK_FILE);

    assertEquals(0, r.exitCode(), r::toString);
    String stack = r.output();
    // the loader's view: templates kept for Swarm, $$ turned into $, replicas and update order as written
    assertTrue(stack.contains("PROMETHEUS_REPLICA: '{{.Task.Slot}}'"), stack);
    assertTrue(stack.contains("--cluster.advertise-address=$ADDR:9094"), stack);
    assertTrue(stack.contains("--cluster.peer=tasks.alertmanager:9094"), stack);
    assertTrue(stack.contains("mode: global"), stack);
    assertTrue(stack.contains("order: start-first"), stack);
    assertTrue(stack.contains("GF_DATABASE_TYPE: postgres"), stack);
    assertTrue(stack.contains("GF_DATABASE_PASSWORD__FILE: /run/secrets/grafana_db_password"), stack);
    assertTrue(stack.contains("name: keiko_prometheus-data-{{.Task.Slot}}"), stack);
    for (String replicas : new String[] {"replicas: 2", "replicas: 3"}) {
      assertTrue(stack.contains(replicas), replicas + " in\n" + stack);
    }
  }

  @Test
  void promtoolAndAmtoolAcceptThePerModeFiles() throws Exception {
    Path out = render(SWARM_YML);

    Tool promtool = Tool.run(out, "promtool", "check", "config", "prometheus/prometheus.yml");
    Tool amtool = Tool.run(out, "amtool", "check-config", "alertmanager/alertmanager.yml");

    assertEquals(0, promtool.exitCode(), promtool::toString);
    assertEquals(0, amtool.exitCode(), amtool::toString);
    String prometheus = Files.readString(out.resolve("prometheus/prometheus.yml"));
    assertTrue(prometheus.contains("replica: '${PROMETHEUS_REPLICA}'"), prometheus);
    assertTrue(prometheus.contains("names: [tasks.alertmanager]"), prometheus);
    assertTrue(prometheus.contains("action: labeldrop"), prometheus);
    assertTrue(prometheus.contains("metrics_path: /federate"), prometheus);
    assertFalse(prometheus.contains("targets: [\"alertmanager:9093\"]"), "never the VIP:\n" + prometheus);
  }

  @Test
  void aChangedFileIsANewConfigNameAndTheOthersKeepTheirs() throws Exception {
    Path first = render(SWARM_YML);
    String before = Files.readString(first.resolve(RenderPlan.STACK_FILE));
    Path second = render(SWARM_YML + "alerts:\n  cpu: {warning: 0.7, critical: 0.9, for: 10m}\n");
    String after = Files.readString(second.resolve(RenderPlan.STACK_FILE));

    assertNotEquals(configName(before, "alerts.yml"), configName(after, "alerts.yml"));
    assertEquals(configName(before, "prometheus.yml"), configName(after, "prometheus.yml"));
    assertEquals(configName(before, "alertmanager.yml"), configName(after, "alertmanager.yml"));
  }

  @Test
  void composeModeRendersNoStackFile() throws Exception {
    Path out = render("alerting: {none: true}\n");
    assertTrue(Files.exists(out.resolve(RenderPlan.COMPOSE_FILE)));
    assertFalse(Files.exists(out.resolve(RenderPlan.STACK_FILE)));
    assertFalse(Files.readString(out.resolve("prometheus/prometheus.yml")).contains("replica"));
  }

  private static String configName(String stack, String file) {
    Matcher m = Pattern.compile("(?m)^  (" + Pattern.quote(file) + "-[0-9a-f]{8}):$").matcher(stack);
    assertTrue(m.find(), file + " in\n" + stack);
    return m.group(1);
  }

  @Test
  void aFirstRenderThatGeneratesTheGrafanaPasswordKeepsTheDatabasePassword() throws Exception {
    Secrets noAdminPasswordYet = new Secrets(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("test-grafana-db-password"));

    Path out = render(SWARM_YML, noAdminPasswordYet);

    assertEquals("test-grafana-db-password", Files.readString(out.resolve("secrets/grafana_db_password")).strip());
    assertTrue(Files.readString(out.resolve(RenderPlan.STACK_FILE))
        .contains("GF_DATABASE_PASSWORD__FILE: /run/secrets/grafana_db_password"));
  }

  private Path render(String keikoYml) throws IOException {
    return render(keikoYml, secrets());
  }

  private Path render(String keikoYml, Secrets secrets) throws IOException {
    Path project = Files.createTempDirectory(dir, "project");
    Workspace ws = new Workspace(project, Map.of(), Clock.systemUTC());
    Files.writeString(ws.configFile(), keikoYml);
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    new RenderService(ws, new Quiet()).render(cfg, secrets, new RenderService.Options(false, false));
    return project.resolve(cfg.output());
  }

  private static final class Quiet implements Console {
    @Override
    public void out(String line) {}

    @Override
    public void info(String line) {}

    @Override
    public void warn(String line) {}
  }
}
