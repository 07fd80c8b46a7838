package io.keikomon.validate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import io.keikomon.validate.check.AlertmanagerCheck.Delivery;
import io.keikomon.validate.tree.ParsedTree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantic checks on small in-memory output folders with one fault injected each. */
class TreeChecksTest {
  private static final String DATASOURCES = """
      apiVersion: 1
      datasources:
        - {name: Prometheus, type: prometheus, uid: prometheus}
        - {name: Jaeger, type: jaeger, uid: jaeger}
      """;

  private static List<String> run(TreeCheck check, Map<String, String> files) {
    return check.check(ParsedTree.parse(new RenderedTree(files), "monitoring")).stream().map(Problem::render).toList();
  }

  @Test
  void provisionedDatasourcesPass() {
    assertEquals(List.of(), run(new DatasourceCheck(), Map.of(
        "grafana/provisioning/datasources/datasources.yml", DATASOURCES,
        "grafana/dashboards/backend.json", """
            {"panels": [{"datasource": {"type": "prometheus", "uid": "prometheus"}},
                        {"datasource": {"type": "datasource", "uid": "-- Mixed --"}},
                        {"datasource": "Jaeger"}, {"datasource": "${ds}"}],
             "templating": {"list": [{"name": "ds", "type": "datasource", "query": "prometheus"}]}}
            """)));
  }

  @Test
  void unknownDatasourceUidIsAnErrorAtItsPosition() {
    assertEquals(List.of("monitoring/grafana/dashboards/backend.json:3:18: panels[1].datasource: datasource uid"
            + " \"promethues\" is not provisioned (hint: provisioned datasource uids: jaeger, prometheus"
            + " (in grafana/provisioning/datasources/))"),
        run(new DatasourceCheck(), Map.of(
            "grafana/provisioning/datasources/datasources.yml", DATASOURCES,
            "grafana/dashboards/backend.json", """
                {"panels": [
                  {"datasource": {"uid": "prometheus"}},
                  {"datasource": {"uid": "promethues"}}
                ]}
                """)));
  }

  @Test
  void undefinedDatasourceVariableIsAnError() {
    List<String> problems = run(new DatasourceCheck(), Map.of(
        "grafana/provisioning/datasources/datasources.yml", DATASOURCES,
        "grafana/dashboards/imported.json", "{\"panels\": [{\"datasource\": \"${DS_PROMETHEUS}\"}]}"));
    assertEquals(1, problems.size());
    assertEquals(true, problems.get(0).contains("datasource variable ${DS_PROMETHEUS} is not defined"), problems.get(0));
  }

  @Test
  void aDatasourceVariableMustPreselectAProvisionedDatasourceOfItsType() {
    String dashboard = """
        {"panels": [{"datasource": {"type": "prometheus", "uid": "${datasource}"}}],
         "templating": {"list": [
           {"name": "datasource", "type": "datasource", "query": "prometheus", "current": {"value": "%s"}},
           {"name": "logs", "type": "datasource", "query": "loki"}]}}
        """;
    List<String> problems = run(new DatasourceCheck(), Map.of(
        "grafana/provisioning/datasources/datasources.yml", DATASOURCES,
        "grafana/dashboards/backend.json", dashboard.formatted("jaeger")));
    assertEquals(List.of("monitoring/grafana/dashboards/backend.json:3:83: templating.list[0].current: datasource"
            + " variable $datasource preselects \"jaeger\", which is no provisioned prometheus datasource (hint:"
            + " preselect one of Prometheus, prometheus (provisioned uids: jaeger, prometheus))",
        "monitoring/grafana/dashboards/backend.json:4:4: templating.list[1].query: datasource variable $logs chooses"
            + " among datasources of type \"loki\", and none is provisioned (hint: set its query to the plugin type of"
            + " a provisioned datasource, e.g. prometheus)"), problems);
    List<String> fine = run(new DatasourceCheck(), Map.of(
        "grafana/provisioning/datasources/datasources.yml", DATASOURCES,
        "grafana/dashboards/backend.json", dashboard.formatted("prometheus").replace("\"loki\"", "\"jaeger\"")));
    assertEquals(List.of(), fine);
  }

  private static final String RECEIVERS = """
      receivers:
        - name: slack
          slack_configs:
            - api_url_file: /run/secrets/slack_webhook_url
              channel: "#a"
        - name: watchdog
          webhook_configs: [{url: "https://hc-ping.invalid/x"}]
      """;

  @Test
  void routesEndingAtDefinedReceiversPass() {
    assertEquals(List.of(), run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", """
        route:
          receiver: slack
          routes:
            - matchers: [alertname="Watchdog"]
              receiver: watchdog
            - matchers: [severity="warning"]
        """ + RECEIVERS)));
  }

  @Test
  void nestedRouteToAMissingReceiverIsAnError() {
    assertEquals(List.of("monitoring/alertmanager/alertmanager.yml:6:21: route.routes[0].routes[0].receiver: route"
            + " ends at receiver \"pager\", which is not defined (hint: defined receivers: slack, watchdog)"),
        run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", """
            route:
              receiver: slack
              routes:
                - matchers: [severity="critical"]
                  routes:
                    - receiver: pager
            """ + RECEIVERS)));
  }

  @Test
  void rootRouteWithoutReceiverIsAnError() {
    assertEquals(List.of("monitoring/alertmanager/alertmanager.yml:2:3: route: the top-level route has no receiver"
            + " (hint: add receiver: <name> to route)"),
        run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", "route:\n  group_by: [job]\n"
            + RECEIVERS)));
  }

  @Test
  void slackWithoutAnyUrlSourceIsAnError() {
    List<String> problems = run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", """
        route: {receiver: slack}
        receivers:
          - name: slack
            slack_configs:
              - channel: "#a"
        """));
    assertEquals(List.of("monitoring/alertmanager/alertmanager.yml:5:9: receivers[0].slack_configs[0]: Slack"
        + " notifier has no webhook URL (no api_url, api_url_file or global slack_api_url) (hint: set"
        + " ALERTMANAGER_SLACK_URL and run keiko-mon render again)"), problems);
  }

  @Test
  void globalSlackUrlCounts() {
    assertEquals(List.of(), run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", """
        global: {slack_api_url_file: /run/secrets/slack_webhook_url}
        route: {receiver: slack}
        receivers: [{name: slack, slack_configs: [{channel: "#a"}]}]
        """)));
  }

  @Test
  void aCriticalAlertReachingNoNotifierIsAnErrorForAKeikoYmlAWarningForTheDefaultAndFineWhenWanted() {
    String am = """
        route:
          receiver: slack
          routes:
            - {matchers: [alertname="Watchdog"], receiver: watchdog}
            - {matchers: ['severity=~"crit.*"'], receiver: default}
        receivers:
          - {name: default}
          - {name: watchdog, webhook_configs: [{url: "https://hc-ping.invalid/x"}]}
          - {name: slack, slack_configs: [{api_url: "https://hooks.slack.invalid/x", channel: "#a"}]}
        """;
    String message = "monitoring/alertmanager/alertmanager.yml:5:7: %sroute.routes[1]: critical alerts end at receiver"
        + " \"default\", which has no notifier: they reach nobody%s (hint: set ALERTMANAGER_SLACK_URL (environment or"
        + " .env) and run keiko-mon render again, or set alerting.none: true in keiko.yml if alerts are meant to go"
        + " nowhere)";
    assertEquals(List.of(message.formatted("", "")),
        run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", am)));
    assertEquals(List.of(message.formatted("warning: ", " (this is the embedded default; a keiko.yml makes it an error)")),
        run(new AlertmanagerCheck(false, Delivery.WARN), Map.of("alertmanager/alertmanager.yml", am)));
    assertEquals(List.of(), run(new AlertmanagerCheck(false, Delivery.NOT_WANTED), Map.of("alertmanager/alertmanager.yml", am)));
    // warnings only reach nobody: not an error
    assertEquals(List.of(), run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml",
        am.replace("crit.*", "warning"))));
  }

  @Test
  void aWatchdogWithoutDeadMansSwitchIsAWarning() {
    List<Problem> problems = new AlertmanagerCheck(false, Delivery.REQUIRED).check(ParsedTree.parse(new RenderedTree(
        Map.of("alertmanager/alertmanager.yml", """
            route:
              receiver: slack
              routes: [{matchers: [alertname="Watchdog"], receiver: watchdog}]
            receivers:
              - {name: watchdog}
              - {name: slack, slack_configs: [{api_url: "https://hooks.slack.invalid/x", channel: "#a"}]}
            """)), "m"));
    assertEquals(List.of("m/alertmanager/alertmanager.yml:3:12: warning: route.routes[0]: the Watchdog ends at receiver"
        + " \"watchdog\", which has no notifier: nobody notices when Prometheus or Alertmanager stops working (hint: set"
        + " alerting.dead_mans_switch_url in keiko.yml to your dead-man's-switch service's webhook)"),
        problems.stream().map(Problem::render).toList());
  }

  @Test
  void slackReadingAnUnsetSecretDoesNotCountAsANotifier() {
    String am = "route: {receiver: slack}\n" + RECEIVERS;
    assertEquals(List.of(), run(new AlertmanagerCheck(false, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", am)));
    List<String> problems = run(new AlertmanagerCheck(true, Delivery.REQUIRED), Map.of("alertmanager/alertmanager.yml", am));
    assertEquals(2, problems.size(), problems.toString()); // critical alerts and the Watchdog both end at slack
    assertTrue(problems.get(0).contains("critical alerts end at receiver \"slack\", which has no notifier"), problems.get(0));
  }

  private static final String PANELS_OK = """
      {"uid": "keiko-backend", "title": "Backend", "schemaVersion": 41, "panels": [
        {"id": 1, "type": "row", "title": "Traffic", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}},
        {"id": 2, "title": "Rate", "gridPos": {"x": 0, "y": 1, "w": 12, "h": 8}},
        {"id": 3, "title": "Errors", "gridPos": {"x": 12, "y": 1, "w": 12, "h": 8}},
        {"id": 4, "type": "row", "title": "More", "collapsed": true, "gridPos": {"x": 0, "y": 9, "w": 24, "h": 1},
         "panels": [{"id": 5, "title": "Hidden", "gridPos": {"x": 0, "y": 10, "w": 24, "h": 8}}]}]}
      """;

  @Test
  void wellFormedDashboardsPass() {
    assertEquals(List.of(), run(new DashboardCheck(), Map.of("grafana/dashboards/backend.json", PANELS_OK)));
  }

  @Test
  void duplicatePanelIdsOverlapsAndGridOverflowAreErrors() {
    List<String> problems = run(new DashboardCheck(), Map.of("grafana/dashboards/backend.json", PANELS_OK
        .replace("{\"id\": 3, \"title\": \"Errors\", \"gridPos\": {\"x\": 12,",
            "{\"id\": 2, \"title\": \"Errors\", \"gridPos\": {\"x\": 8,")
        .replace("{\"id\": 5, \"title\": \"Hidden\", \"gridPos\": {\"x\": 0,",
            "{\"id\": 5, \"title\": \"Hidden\", \"gridPos\": {\"x\": 4,")));
    assertEquals(List.of(
        "monitoring/grafana/dashboards/backend.json:4:10: panels[2].id: panel \"Errors\" has id 2, like panel \"Rate\""
            + " (hint: give every panel of a dashboard its own id)",
        "monitoring/grafana/dashboards/backend.json:4:43: panels[2].gridPos: panel \"Errors\" overlaps panel \"Rate\""
            + " (hint: move one of them; Grafana would shift them on load)",
        "monitoring/grafana/dashboards/backend.json:6:55: panels[3].panels[0].gridPos: panel \"Hidden\" does not fit"
            + " the grid (x 4 + w 24 must be within 24 columns, w and h at least 1) (hint: fix its gridPos)"),
        problems);
  }

  @Test
  void uidsAndTitlesMustBeThereAndUnique() {
    List<String> problems = run(new DashboardCheck(), Map.of(
        "grafana/dashboards/a.json", PANELS_OK,
        "grafana/dashboards/b.json", PANELS_OK,
        "grafana/dashboards/c.json", "{\"panels\": []}"));
    assertEquals(List.of(
        "monitoring/grafana/dashboards/b.json:1:9: uid: uid \"keiko-backend\" is also used by"
            + " monitoring/grafana/dashboards/a.json (hint: every provisioned dashboard needs its own uid)",
        "monitoring/grafana/dashboards/b.json:1:35: title: title \"Backend\" is also used by"
            + " monitoring/grafana/dashboards/a.json (hint: every provisioned dashboard needs its own title)",
        "monitoring/grafana/dashboards/c.json:1:1: uid: the dashboard has no uid (hint: give it a fixed uid so"
            + " provisioning updates it instead of adding a copy)",
        "monitoring/grafana/dashboards/c.json:1:1: title: the dashboard has no title (hint: give it a fixed title so"
            + " provisioning updates it instead of adding a copy)",
        "monitoring/grafana/dashboards/c.json:1:1: schemaVersion: schemaVersion is missing (hint: add"
            + " \"schemaVersion\": 41 (Grafana migrates older versions on load))"), problems);
  }
}
