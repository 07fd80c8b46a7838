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
      d.path("templating").path("list").forEach(v -> {
        variables.add(v.path("name").asText());
        assertTrue(uids.contains(v.path("datasource").path("uid").asText()), "variable datasource " + v);
      });
      assertEquals(List.of("job", "instance"), variables);
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
      assertTrue(uids.contains(p.path("datasource").path("uid").asText()), "datasource provisioned: " + title);
      assertFalse(p.path("targets").isEmpty(), "queries in " + title);
      for (JsonNode t : p.path("targets")) {
        assertTrue(uids.contains(t.path("datasource").path("uid").asText()), "target datasource: " + title);
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
}
