package io.keikomon.content.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Secrets;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The tokenizer on every expression keiko-mon ships: rules, panel queries and variable queries. */
class ContentExpressionsTest {
  private static List<String> expressions() {
    RenderedTree tree = Renderer.render(ConfigLoader.defaults(),
        new Secrets(Optional.of("pw"), Optional.empty(), Optional.empty(), Optional.empty()),
        TestWorkspaces.jimfs().templateOverrides());
    ParsedTree parsed = ParsedTree.parse(tree, "");
    List<String> exprs = new ArrayList<>();
    parsed.under("prometheus/rules/", ".yml").values().forEach(doc -> collect(doc, "expr", exprs));
    parsed.under("grafana/dashboards/", ".json").values().forEach(doc -> {
      collect(doc, "expr", exprs);
      ((DocNode.Mapping) doc).mapping("templating").ifPresent(t -> t.sequence("list").forEach(v ->
          ((DocNode.Mapping) v).text("query").ifPresent(q ->
              GrafanaQueries.expressions(q).forEach(e -> exprs.add(e.expr())))));
    });
    return exprs;
  }

  private static void collect(DocNode node, String key, List<String> out) {
    if (node instanceof DocNode.Mapping m) {
      m.entries().forEach((k, v) -> {
        if (k.equals(key) && v instanceof DocNode.Scalar s) {
          out.add(s.text());
        } else {
          collect(v, key, out);
        }
      });
    } else if (node instanceof DocNode.Sequence s) {
      s.items().forEach(i -> collect(i, key, out));
    }
  }

  @Test
  void everyShippedExpressionTokenizesAndSelectsTheDocumentedMetrics() throws PromqlSyntaxException {
    List<String> exprs = expressions();
    assertTrue(exprs.size() > 30, "expected the shipped rules and dashboards, found " + exprs.size());
    Set<String> names = new TreeSet<>();
    for (String e : exprs) {
      List<MetricNames.Ref> refs = MetricNames.extract(e);
      for (MetricNames.Ref r : refs) {
        // a name is an identifier at its offset, never a keyword, function or label
        assertEquals(r.name(), e.substring(r.offset(), r.offset() + r.name().length()), e);
        assertTrue(!Set.of("by", "without", "on", "ignoring", "sum", "rate", "le", "job", "instance").contains(r.name()),
            r.name() + " taken for a metric in " + e);
      }
      if (refs.isEmpty()) {
        assertTrue(e.matches("vector\\([0-9.]+\\)"), "no metric found in " + e);
      }
      refs.forEach(r -> names.add(r.name()));
    }
    for (String documented : List.of("http_requests_total", "http_request_duration_seconds_bucket", "api_errors_total",
        "agent_operations_total", "registered_agents_total", "up")) {
      assertTrue(names.contains(documented), documented + " not found in " + names);
    }
  }
}
