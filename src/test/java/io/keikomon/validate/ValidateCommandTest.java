package io.keikomon.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.cli.Services;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.oracle.OracleRunner;
import io.keikomon.validate.oracle.ToolRun;
import io.keikomon.validate.tree.TreeFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * validate end to end through the CLI on jimfs. The oracles are replaced by a stub that says they are
 * not available here (their real runs are in ValidateOracleTest), so these tests check everything else.
 */
class ValidateCommandTest {
  private static final OracleRunner NO_ORACLES =
      (tool, dir, args) -> new ToolRun.Unavailable("stubbed out by the test", "none");

  private static CliHarness.Result validate(Workspace ws, String... args) {
    List<String> all = new ArrayList<>(List.of("validate"));
    all.addAll(List.of(args));
    return new CliHarness(new Services(ws, false).withOracles(NO_ORACLES)).run(all.toArray(String[]::new));
  }

  /** Writes what render writes for the default keiko.yml into monitoring/. */
  private static void renderDefault(Workspace ws) throws Exception {
    RenderedTree tree = Renderer.render(ConfigLoader.defaults(),
        new Secrets(Optional.of("test-password"), Optional.empty(), Optional.empty(), Optional.empty()),
        ws.templateOverrides());
    TreeFiles.write(tree, ws.dir().resolve("monitoring"));
    Files.createDirectories(ws.dir().resolve("monitoring/grafana/dashboards"));
  }

  @Test
  void embeddedDefaultIsValidAndWarnsThatAlertsGoNowhere() {
    CliHarness.Result r = validate(TestWorkspaces.jimfs());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/alertmanager/alertmanager.yml:"), r.toString());
    assertTrue(r.out().contains("warning: route.routes[1]: critical alerts end at receiver \"default\", which has no notifier:"
        + " they reach nobody (this is the embedded default; a keiko.yml makes it an error)"), r.toString());
    assertTrue(r.out().contains("the Watchdog ends at receiver \"watchdog\", which has no notifier"), r.toString());
    assertTrue(r.out().contains("skipped  promtool check config (did not run: stubbed out by the test (hint: none))"),
        r.toString());
    assertTrue(r.out().contains("valid: 0 errors, 2 warnings"), r.toString());
  }

  @Test
  void aKeikoYmlWhoseCriticalAlertsReachNobodyIsInvalid() {
    CliHarness.Result r = validate(TestWorkspaces.withConfig("version: 1\n"));
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("route.routes[1]: critical alerts end at receiver \"default\", which has no notifier: they"
        + " reach nobody (hint: set ALERTMANAGER_SLACK_URL"), r.toString());
  }

  @Test
  void alertingNoneSaysAlertsGoNowhereOnPurpose() {
    CliHarness.Result r = validate(TestWorkspaces.withConfig("version: 1\nalerting: {none: true}\n"));
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("valid: 0 errors, 0 warnings"), r.toString());
  }

  @Test
  void slackUrlAndDeadMansSwitchSilenceTheWarnings() throws Exception {
    Workspace slackOnly = TestWorkspaces.jimfs(Map.of(Secrets.ALERTMANAGER_SLACK_URL,
        "https://hooks.slack.invalid/services/T/B/X"));
    CliHarness.Result r = validate(slackOnly);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("the Watchdog ends at receiver \"watchdog\", which has no notifier"), r.toString());
    assertTrue(r.out().contains("valid: 0 errors, 1 warning"), r.toString());

    Workspace both = TestWorkspaces.jimfs(Map.of(Secrets.ALERTMANAGER_SLACK_URL,
        "https://hooks.slack.invalid/services/T/B/X"));
    Files.writeString(both.configFile(), "version: 1\nalerting: {dead_mans_switch_url: \"https://hc-ping.invalid/u\"}\n");
    r = validate(both);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("valid: 0 errors, 0 warnings"), r.toString());
  }

  @Test
  void deadMansSwitchUrlMustBeAnHttpUrl() {
    CliHarness.Result r = validate(TestWorkspaces.withConfig("version: 1\nalerting: {dead_mans_switch_url: hc-ping}\n"));
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("alerting.dead_mans_switch_url: \"hc-ping\" is not an http(s) URL"), r.toString());
  }

  @Test
  void unknownMetricInADashboardOnDiskGivesExit3WithFileAndPanel() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    renderDefault(ws);
    Files.writeString(ws.dir().resolve("monitoring/grafana/dashboards/mine.json"), """
        {"uid": "mine", "title": "Mine", "panels": [
          {"id": 1, "title": "Request rate", "datasource": {"type": "prometheus", "uid": "prometheus"},
           "targets": [{"refId": "A", "expr": "sum(rate(http_request_total[$__rate_interval]))"}]}]}
        """);
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/grafana/dashboards/mine.json:3:49: panels[0].targets[0].expr: panel"
        + " \"Request rate\": unknown metric \"http_request_total\" (no enabled source provides it) (hint: did you"
        + " mean http_requests_total?"), r.toString());
    assertTrue(r.out().contains("failed   on disk: metric names"), r.toString());
  }

  @Test
  void unknownMetricInARuleOnDiskGivesExit3WithFileAndRule() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    renderDefault(ws);
    Files.createDirectories(ws.dir().resolve("monitoring/prometheus/rules"));
    Files.writeString(ws.dir().resolve("monitoring/prometheus/rules/mine.yml"), """
        groups:
          - name: mine
            rules:
              - alert: AgentsGone
                expr: registered_agent_total == 0
        """);
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/prometheus/rules/mine.yml:5:15: groups[0].rules[0].expr: rule"
        + " \"AgentsGone\": unknown metric \"registered_agent_total\""), r.toString());
  }

  @Test
  void handEditedFileIsReportedAndCheckedAsItIsOnDisk() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    renderDefault(ws);
    var am = ws.dir().resolve("monitoring/alertmanager/alertmanager.yml");
    Files.writeString(am, Files.readString(am).replace("receiver: default", "receiver: pager"));
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/alertmanager/alertmanager.yml: warning: differs from what render would"
        + " write now"), r.toString());
    assertTrue(r.out().contains("route.receiver: route ends at receiver \"pager\", which is not defined"), r.toString());
    assertTrue(r.out().contains("failed   on disk: alertmanager routes"), r.toString());
  }

  @Test
  void brokenKeikoYmlGivesExit3AndSkipsTheRest() throws Exception {
    CliHarness.Result r = validate(TestWorkspaces.withConfig("version: 1\nports:\n  grafana: 99999\n"));
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("keiko.yml:3:12: ports.grafana:"), r.toString());
    assertTrue(r.out().contains("skipped  rendered files (keiko.yml has errors"), r.toString());
  }

  @Test
  void jsonOutputIsAStableDocument() throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    renderDefault(ws);
    Files.writeString(ws.dir().resolve("monitoring/grafana/dashboards/bad.json"), "{\"panels\": [}\n");
    CliHarness.Result r = validate(ws, "--output", "json");
    assertEquals(3, r.exitCode(), r.toString());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals(false, doc.get("valid").asBoolean());
    JsonNode first = null;
    for (JsonNode p : doc.get("problems")) {
      if (p.get("file").asText().endsWith("bad.json")) {
        first = p;
      }
    }
    assertEquals("error", first.get("severity").asText());
    assertEquals("monitoring/grafana/dashboards/bad.json", first.get("file").asText());
    assertEquals(1, first.get("line").asInt());
    assertEquals(13, first.get("column").asInt());
    assertTrue(first.get("message").asText().startsWith("invalid JSON"), r.toString());
    List<String> names = new ArrayList<>();
    doc.get("checks").forEach(c -> names.add(c.get("name").asText() + "=" + c.get("status").asText()));
    assertTrue(names.contains("on disk: files parse=failed"), names.toString());
    assertTrue(names.contains("promtool check rules=skipped") || names.contains("promtool check config=skipped"),
        names.toString());
  }
}
