package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.config.KeikoConfig;
import io.keikomon.render.RenderedTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The rendered dashboards against Grafana's dashboard JSON model and the provisioned datasources. */
class RenderedDashboardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What every panel, query and query variable names as its datasource. */
  private static final String DS_VARIABLE = "${datasource}";

  /** One instance variable per section that is on (the sections' instances have nothing in common). */
  private static List<String> expectedInfrastructureVariables(String yaml) {
    return yaml.contains("postgres: {enabled: false}") ? List.of("datasource", "job", "host", "redis")
        : List.of("datasource", "job", "host", "postgres", "redis");
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("defaults", ""),
        Arguments.of("custom metrics", ContentFixtures.CUSTOM_METRICS),
        Arguments.of("no tracing, no alertmanager, no postgres", """
            tracing: {enabled: false}
            components: {alertmanager: false}
            postgres: {enabled: false}
            """));
  }

  private static JsonNode dashboard(RenderedTree tree, String name) throws Exception {
    return JSON.readTree(tree.get("grafana/dashboards/" + name + ".json"));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> provisionedUids(RenderedTree tree) {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(tree.get("grafana/provisioning/datasources/datasources.yml"));
    Set<String> uids = new HashSet<>();
    for (Object ds : (List<Object>) doc.get("datasources")) {
      uids.add((String) ((Map<String, Object>) ds).get("uid"));
    }
    return uids;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void dashboardsFollowTheJsonModel(String name, String yaml) throws Exception {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.config(yaml));
    Set<String> uids = provisionedUids(tree);
    for (String[] expected : new String[][] {{"backend", "keiko-backend", "Backend"},
        {"infrastructure", "keiko-infrastructure", "Infrastructure"}}) {
      JsonNode d = dashboard(tree, expected[0]);
      assertEquals(expected[1], d.path("uid").asText());
      assertEquals(expected[2], d.path("title").asText());
      assertEquals(41, d.path("schemaVersion").asInt());
      List<String> variables = new ArrayList<>();
      JsonNode datasourceVariable = d.path("templating").path("list").path(0);
      assertEquals("datasource", datasourceVariable.path("type").asText(), datasourceVariable.toString());
      assertEquals("prometheus", datasourceVariable.path("query").asText(), "a choice among Prometheus datasources");
      assertTrue(uids.contains(datasourceVariable.path("current").path("value").asText()),
          "the datasource variable preselects a provisioned uid: " + datasourceVariable);
      d.path("templating").path("list").forEach(v -> {
        variables.add(v.path("name").asText());
        if (!v.path("type").asText().equals("datasource")) {
          assertEquals(DS_VARIABLE, v.path("datasource").path("uid").asText(), "variable datasource " + v);
        }
      });
      assertEquals(expected[0].equals("backend") ? List.of("datasource", "job", "instance")
          : expectedInfrastructureVariables(yaml), variables);
      assertPanelsValid(expected[0], d.path("panels"), uids);
    }
  }

  private static void assertPanelsValid(String dashboard, JsonNode panels, Set<String> uids) {
    Set<Integer> ids = new HashSet<>();
    List<int[]> placed = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    assertTrue(panels.size() > 5, dashboard + " has panels");
    for (JsonNode p : panels) {
      String title = dashboard + "/" + p.path("title").asText();
      assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id in " + title);
      JsonNode g = p.path("gridPos");
      int x = g.path("x").asInt();
      int y = g.path("y").asInt();
      int w = g.path("w").asInt();
      int h = g.path("h").asInt();
      assertTrue(x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0, "gridPos inside 24 columns: " + title + " " + g);
      for (int i = 0; i < placed.size(); i++) {
        int[] o = placed.get(i);
        if (x < o[0] + o[2] && o[0] < x + w && y < o[1] + o[3] && o[1] < y + h) {
          fail(title + " overlaps " + titles.get(i));
        }
      }
      placed.add(new int[] {x, y, w, h});
      titles.add(title);
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      assertEquals(DS_VARIABLE, p.path("datasource").path("uid").asText(), "datasource variable: " + title);
      assertFalse(p.path("fieldConfig").path("defaults").path("unit").asText().isBlank(), "unit of " + title);
      assertFalse(p.path("targets").isEmpty(), "queries in " + title);
      for (JsonNode t : p.path("targets")) {
        assertEquals(DS_VARIABLE, t.path("datasource").path("uid").asText(), "target datasource: " + title);
        assertFalse(t.path("expr").asText().isBlank(), "expr in " + title);
      }
    }
  }

  @Test
  void customMetricsGetPanelsSplitByTheirLabels() throws Exception {
    JsonNode d = dashboard(ContentFixtures.render(ContentFixtures.config(ContentFixtures.CUSTOM_METRICS)), "backend");
    List<String> exprs = new ArrayList<>();
    d.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    assertTrue(exprs.contains(
        "sum by (job, operation) (rate(custom_operations_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))"),
        exprs.toString());
    assertTrue(exprs.contains("histogram_quantile(0.95, sum by (le) (rate(custom_duration_seconds_bucket"
        + "{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval])))"), exprs.toString());
    JsonNode none = dashboard(ContentFixtures.render(ContentFixtures.defaults()), "backend");
    assertFalse(none.toString().contains("Custom metrics"), "no custom row without custom metrics");
  }

  @Test
  void queriesUseTheConfiguredLabelNames() throws Exception {
    KeikoConfig config = ContentFixtures.config(
        "backend: {labels: {method: verb, route: path, status: code, operation: op, result: outcome}}\n");
    String backend = dashboard(ContentFixtures.render(config), "backend").toString();
    assertTrue(backend.contains("sum by (path)"), backend);
    assertTrue(backend.contains("sum by (op, outcome)"), backend);
    assertFalse(backend.contains("{{endpoint}}") || backend.contains("(endpoint"), "default route label left: " + backend);
  }

  @Test
  void disabledComponentsHaveNoPanels() throws Exception {
    KeikoConfig config = ContentFixtures.config("""
        postgres: {enabled: false}
        redis: {enabled: false}
        components: {node-exporter: false}
        """);
    String infra = dashboard(ContentFixtures.render(config), "infrastructure").toString();
    for (String prefix : List.of("pg_", "redis_", "node_")) {
      assertFalse(infra.contains(prefix), prefix + " in " + infra);
    }
  }

  private static JsonNode panel(JsonNode dashboard, String title) {
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("title").asText().equals(title) && !p.path("type").asText().equals("row")) {
        return p;
      }
    }
    throw new AssertionError("no panel " + title + " in " + dashboard.path("title"));
  }

  /** [value, colour] of each threshold step; the base step's value is null. */
  private static List<String> steps(JsonNode panel) {
    List<String> out = new ArrayList<>();
    panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")
        .forEach(st -> out.add(st.path("value").asText() + " " + st.path("color").asText()));
    return out;
  }

  @Test
  void thresholdsAreTheAlertThresholdsOfKeikoYml() throws Exception {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.config("""
        alerts:
          cpu: {warning: 0.7, critical: 0.85}
          error_rate: {warning: 0.02, critical: 0.05}
          latency_p95: {warning: 0.5, critical: null}
          disk: {warning: null, critical: 0.95}
        """));
    JsonNode infra = dashboard(tree, "infrastructure");
    JsonNode backend = dashboard(tree, "backend");
    assertEquals(List.of("null green", "0.7 orange", "0.85 red"), steps(panel(infra, "CPU usage")));
    assertEquals(List.of("null green", "0.95 red"), steps(panel(infra, "Disk usage")), "no warning step");
    assertEquals(List.of("null green", "0.95 red"), steps(panel(infra, "Inode usage")), "the inode alert's");
    assertEquals(List.of("null green", "0.8 orange", "0.9 red"), steps(panel(infra, "Memory usage")), "defaults");
    for (String title : List.of("Error ratio (5xx)", "Error rate", "Error ratio per endpoint")) {
      assertEquals(List.of("null green", "0.02 orange", "0.05 red"), steps(panel(backend, title)), title);
    }
    for (String title : List.of("p95 latency", "Latency p50 / p95 / p99", "p95 latency per endpoint")) {
      assertEquals(List.of("null green", "0.5 orange"), steps(panel(backend, title)), title);
    }
    assertEquals(List.of("null green", "0.8 orange"), steps(panel(infra, "Connections used")),
        "PostgresTooManyConnections' share of max_connections");
    assertEquals(List.of("null green", "300 orange"), steps(panel(infra, "Longest running transaction")));
    assertEquals("dashed", panel(infra, "CPU usage").path("fieldConfig").path("defaults").path("custom")
        .path("thresholdsStyle").path("mode").asText(), "graphs draw the thresholds as lines");
    assertEquals("off", panel(infra, "Network I/O").path("fieldConfig").path("defaults").path("custom")
        .path("thresholdsStyle").path("mode").asText(), "no alert, no line");
  }

  @Test
  void upAndProbeSuccessAreStateTimelines() throws Exception {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.defaults());
    for (JsonNode p : List.of(panel(dashboard(tree, "infrastructure"), "Targets up"),
        panel(dashboard(tree, "backend"), "Health probes"))) {
      assertEquals("state-timeline", p.path("type").asText(), p.path("title").asText());
      JsonNode options = p.path("fieldConfig").path("defaults").path("mappings").path(0).path("options");
      assertEquals("up", options.path("1").path("text").asText(), p.toString());
      assertEquals("green", options.path("1").path("color").asText());
      assertEquals("down", options.path("0").path("text").asText());
      assertEquals("red", options.path("0").path("color").asText());
    }
    assertTrue(panel(dashboard(tree, "backend"), "Health probes").path("targets").path(0).path("expr").asText()
        .startsWith("probe_success{job=\"" + ScrapeJob.HEALTH + "\", instance=~\"$instance\"}"));
  }

  @Test
  void eachInfrastructureSectionHasItsOwnInstanceVariable() throws Exception {
    JsonNode infra = dashboard(ContentFixtures.render(ContentFixtures.defaults()), "infrastructure");
    assertTrue(panel(infra, "CPU usage").path("targets").path(0).path("expr").asText()
        .endsWith("{job=\"" + ScrapeJob.NODE + "\", instance=~\"$host\"}"));
    assertTrue(panel(infra, "Database size").path("targets").path(0).path("expr").asText()
        .contains("{job=\"" + ScrapeJob.POSTGRES + "\", instance=~\"$postgres\"}"));
    assertTrue(panel(infra, "Memory used").path("targets").path(0).path("expr").asText()
        .contains("{job=\"" + ScrapeJob.REDIS + "\", instance=~\"$redis\"}"));
    assertFalse(infra.toString().contains("$instance"), "no variable shared by the sections");
  }

  @Test
  void dashboardsLinkToEachOtherAndToPrometheusAndAlertmanager() throws Exception {
    for (String name : List.of("backend", "infrastructure")) {
      JsonNode links = dashboard(ContentFixtures.render(ContentFixtures.defaults()), name).path("links");
      assertEquals("dashboards", links.path(0).path("type").asText(), links.toString());
      assertEquals("keiko", links.path(0).path("tags").path(0).asText());
      assertTrue(links.path(0).path("keepTime").asBoolean());
      assertEquals("http://127.0.0.1:9090/alerts", links.path(1).path("url").asText());
      assertEquals("http://127.0.0.1:9093", links.path(2).path("url").asText());
    }
    JsonNode noAlertmanager = dashboard(ContentFixtures.render(ContentFixtures.config(
        "components: {alertmanager: false}\n")), "backend").path("links");
    assertEquals(2, noAlertmanager.size(), noAlertmanager.toString());
  }

  @Test
  void latencyGraphsAskForExemplarsAndTheDatasourceLinksThemToJaegerOnlyWithTracing() throws Exception {
    RenderedTree traced = ContentFixtures.render(ContentFixtures.defaults());
    JsonNode latency = panel(dashboard(traced, "backend"), "Latency p50 / p95 / p99");
    assertTrue(latency.path("targets").path(1).path("exemplar").asBoolean(), latency.toString());
    assertTrue(latency.path("targets").path(1).path("expr").asText().contains("http_request_duration_seconds_bucket{"),
        "exemplars are on the scraped histogram, not on a recording rule");
    assertTrue(panel(dashboard(traced, "backend"), "p95 latency per endpoint").path("targets").path(0)
        .path("exemplar").asBoolean());
    String datasources = traced.get("grafana/provisioning/datasources/datasources.yml");
    assertTrue(datasources.contains("""
              exemplarTraceIdDestinations:
                - name: trace_id
                  datasourceUid: jaeger
        """), datasources);
    assertTrue(traced.get("docker-compose.monitoring.yml").contains("--enable-feature=exemplar-storage"));

    RenderedTree untraced = ContentFixtures.render(ContentFixtures.config("tracing: {enabled: false}\n"));
    assertFalse(dashboard(untraced, "backend").toString().contains("exemplar"));
    assertFalse(untraced.get("grafana/provisioning/datasources/datasources.yml").contains("exemplar"));
    assertFalse(untraced.get("docker-compose.monitoring.yml").contains("exemplar-storage"));
  }

  @Test
  void theEndpointsTableNamesItsColumnsAndGivesEachItsUnit() throws Exception {
    JsonNode table = panel(dashboard(ContentFixtures.render(ContentFixtures.defaults()), "backend"), "Endpoints now");
    List<String> columns = new ArrayList<>();
    table.path("fieldConfig").path("overrides").forEach(o -> columns.add(o.path("matcher").path("options").asText()
        + " -> " + o.path("properties").path(0).path("value").asText() + " in "
        + o.path("properties").path(1).path("value").asText()));
    assertEquals(List.of("Value #A -> requests/s in reqps", "Value #B -> p95 latency in s",
        "Value #C -> 5xx ratio in percentunit"), columns);
  }
}
