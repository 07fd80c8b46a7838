package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.oracle.LocalOracleRunner;
import io.keikomon.validate.oracle.OracleRunner;
import io.keikomon.validate.oracle.Tool;
import io.keikomon.validate.oracle.ToolRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `up` validates incrementally: after a rule change only the oracles, files and rule-test cases whose inputs
 * changed run. The oracle runner records every command; promtool check and amtool are the real tools (they
 * take a tenth of a second), `promtool test rules` and docker-compose are stand-ins (seconds each) that
 * record which alerts' cases they were given (a cut copy of the test file, in a folder of its own).
 */
class UpValidationIncrementalTest {
  static final String BASE = "version: 1\nproject: demo\nalerting: {none: true}\n";
  static final Pattern ALERTNAME = Pattern.compile("alertname: (\\S+)");

  final InMemoryDockerEngine engine = new InMemoryDockerEngine();
  final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  final List<TreeSet<String>> testedAlerts = Collections.synchronizedList(new ArrayList<>());
  final LocalOracleRunner real = new LocalOracleRunner(Map.of("PATH", System.getenv("PATH")));
  final OracleRunner recording = (tool, dir, args) -> {
    ran.add(tool.command() + " " + String.join(" ", args));
    if (tool == Tool.DOCKER_COMPOSE) {
      return new ToolRun.Done(0, "", "stand-in");
    }
    if (args.get(0).equals("test")) {
      TreeSet<String> alerts = new TreeSet<>();
      for (String f : args.subList(2, args.size())) {
        Matcher m = ALERTNAME.matcher(read(dir.resolve(f)));
        while (m.find()) {
          alerts.add(m.group(1));
        }
      }
      testedAlerts.add(alerts);
      return new ToolRun.Done(0, "Unit Testing:  " + args.get(2) + "\n  SUCCESS\n", "stand-in");
    }
    return real.run(tool, dir, args);
  };
  Workspace ws;
  CliHarness cli;

  @BeforeEach
  void firstUp() throws IOException {
    ws = TestWorkspaces.jimfs(Map.of("GRAFANA_ADMIN_PASSWORD", "pw-for-tests"));
    Files.writeString(ws.configFile(), BASE);
    KeikoConfig.Images i = ConfigLoader.defaults().images();
    List.of(i.prometheus(), i.alertmanager(), i.grafana(), i.jaeger(), i.nodeExporter(), i.postgresExporter(),
        i.redisExporter(), i.blackboxExporter()).forEach(engine::image);
    cli = new CliHarness(new Services(ws, false, () -> engine, recording));
    CliHarness.Result first = cli.run("up", "--timeout", "5s");
    assertEquals(0, first.exitCode(), first.toString());
    // config, rules, rule tests (maybe in several processes), web configs (security on by default), amtool, compose
    assertEquals(6, ran.stream().map(c -> String.join(" ", List.of(c.split(" ")).subList(0, 3))).distinct().count(),
        "the first up runs every oracle: " + ran);
    ran.clear();
    testedAlerts.clear();
    // later ups start the stack anew rather than hot-reload it: what is validated does not depend on which
    engine.containers.clear();
  }

  @Test
  void aThresholdChangeRunsPromtoolOnlyOnTheChangedRuleFileAndThatAlertsTests() throws IOException {
    Files.writeString(ws.configFile(), BASE + "alerts:\n  error_rate: {warning: 0.07, critical: 0.2}\n");

    CliHarness.Result r = cli.run("up", "--timeout", "5s");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(ran.remove("promtool check rules prometheus/rules/alerts.yml"), ran.toString());
    assertTrue(!ran.isEmpty() && ran.stream().allMatch(
        c -> c.matches("promtool test rules( \\.cut/\\d+/prometheus/tests/alerts\\.test\\.yml)+")), ran.toString());
    TreeSet<String> tested = new TreeSet<>();
    testedAlerts.forEach(tested::addAll);
    assertEquals(new TreeSet<>(List.of("KeikoHighApiErrorRate", "KeikoHighErrorRate")), tested,
        "only the cases of the alerts whose rules changed run");
    assertTrue(engine.byName("demo-prometheus").status().equals("running"));
  }

  @Test
  void aBrokenRuleStillStopsUpWithExit3BeforeAnythingIsTouched() throws IOException {
    Path rules = ws.dir().resolve("monitoring/prometheus/rules/alerts.yml");
    String text = Files.readString(rules);
    Files.writeString(rules, text.replaceFirst("summary: '", "summary: '{{ \\$labels.instance "));
    engine.calls.clear();

    CliHarness.Result r = cli.run("up", "--timeout", "5s");

    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("monitoring/prometheus/rules/alerts.yml"), r.toString());
    assertTrue(ran.contains("promtool check rules prometheus/rules/alerts.yml"), ran.toString());
    assertTrue(engine.changes().isEmpty(), engine.changes().toString());
  }

  @Test
  void goingBackToAValidatedKeikoYmlRunsNoOracle() throws IOException {
    Files.writeString(ws.configFile(), BASE + "alerts:\n  error_rate: {warning: 0.07, critical: 0.2}\n");
    assertEquals(0, cli.run("up", "--timeout", "5s").exitCode());
    ran.clear();
    engine.containers.clear();
    Path stamp = ws.dir().resolve("monitoring/.keiko-mon/up-validated.sha256");
    Files.delete(stamp); // forget the whole-tree fingerprints: only the oracle memory is left to skip with
    Files.writeString(ws.configFile(), BASE);

    CliHarness.Result r = cli.run("up", "--timeout", "5s");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of(), ran, "every oracle's inputs passed before");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
