package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.validate.catalogue.MetricCatalogue;
import io.keikomon.content.promql.GrafanaQueries;
import io.keikomon.content.promql.MetricNames;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every metric name used by a rule expression, a dashboard panel query or a dashboard template variable
 * is provided by an enabled source (the catalogue), a custom metric, or a recording rule of the tree.
 * This catches typos and metrics renamed between exporter versions before anyone stares at "No data".
 */
public final class MetricNameCheck implements TreeCheck {
  /** Functions that make sense on a raw counter (they look at its growth, or only at its presence). */
  private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase", "resets", "changes",
      "absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp", "count", "group");

  private final MetricCatalogue catalogue;

  /** @param catalogue enabled sources plus custom metrics; recording rules are added from the tree */
  public MetricNameCheck(MetricCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Override
  public String name() {
    return "metric names";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    Map<String, DocNode> rules = tree.under(TreeLayout.RULES, ".yml", ".yaml");
    MetricCatalogue known = catalogue;
    for (Map.Entry<String, DocNode> file : rules.entrySet()) {
      for (RuleDocs.Rule r : RuleDocs.rules(file.getValue())) {
        if (r.record()) {
          known = known.with(r.name(), "gauge", "recording rule in " + file.getKey());
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, DocNode> file : rules.entrySet()) {
      for (RuleDocs.Rule r : RuleDocs.rules(file.getValue())) {
        String where = (r.record() ? "recording rule " : "rule ") + "\"" + r.name() + "\"";
        List<MetricNames.Ref> refs =
            check(known, tree.display(file.getKey()), r.path(), r.expr(), r.expr().text(), 0, where, problems);
        if (!r.record()) {
          rawCounters(known, tree.display(file.getKey()), r, refs, problems);
        }
      }
    }
    for (Map.Entry<String, DocNode> file : tree.under(TreeLayout.DASHBOARDS, ".json").entrySet()) {
      if (file.getValue() instanceof DocNode.Mapping dashboard) {
        dashboard(known, tree.display(file.getKey()), dashboard, problems);
      }
    }
    return problems;
  }

  private void dashboard(MetricCatalogue known, String file, DocNode.Mapping dashboard, List<Problem> problems) {
    panels(known, file, dashboard.sequence("panels"), "panels", problems);
    dashboard.mapping("templating").ifPresent(t -> {
      List<DocNode> vars = t.sequence("list");
      for (int i = 0; i < vars.size(); i++) {
        if (!(vars.get(i) instanceof DocNode.Mapping v) || !v.text("type").orElse("").equals("query")) {
          continue;
        }
        String path = "templating.list[" + i + "].query";
        DocNode query = v.get("query").orElse(null);
        if (query instanceof DocNode.Mapping q) { // newer Grafana: {query: "...", refId: ...}
          query = q.get("query").orElse(null);
          path += ".query";
        }
        if (query instanceof DocNode.Scalar s) {
          String where = "variable \"" + v.text("name").orElse("?") + "\"";
          for (GrafanaQueries.Expr e : GrafanaQueries.expressions(s.text())) {
            check(known, file, path, s, e.expr(), e.offset(), where, problems);
          }
        }
      }
    });
  }

  private void panels(MetricCatalogue known, String file, List<DocNode> panels, String path, List<Problem> problems) {
    for (int i = 0; i < panels.size(); i++) {
      if (!(panels.get(i) instanceof DocNode.Mapping panel)) {
        continue;
      }
      String panelPath = path + "[" + i + "]";
      String where = "panel \"" + panel.text("title").orElse("#" + panel.text("id").orElse("?")) + "\"";
      List<DocNode> targets = panel.sequence("targets");
      for (int t = 0; t < targets.size(); t++) {
        if (targets.get(t) instanceof DocNode.Mapping target
            && target.get("expr").orElse(null) instanceof DocNode.Scalar expr) {
          check(known, file, panelPath + ".targets[" + t + "].expr", expr, expr.text(), 0, where, problems);
        }
      }
      panels(known, file, panel.sequence("panels"), panelPath + ".panels", problems); // collapsed rows
    }
  }

  /**
   * An alert on a raw counter fires once the counter passes the threshold and then never resolves (or
   * never fires): the mistake behind many broken community rules. A warning, since some uses are meant.
   */
  private static void rawCounters(MetricCatalogue known, String file, RuleDocs.Rule r, List<MetricNames.Ref> refs,
      List<Problem> problems) {
    for (MetricNames.Ref ref : refs) {
      if (known.isCounter(ref.name()) && ref.functions().stream().noneMatch(COUNTER_FUNCTIONS::contains)) {
        DocNode.Position pos = r.expr().positionOf(ref.name(),
            DocNode.Scalar.wordsBefore(r.expr().text(), ref.name(), ref.offset()));
        problems.add(Problem.warning(file, pos.line(), pos.column(), r.path(), "rule \"" + r.name()
                + "\" uses the counter " + ref.name() + " without rate() or increase(); a counter only grows",
            "compare rate(" + ref.name() + "[5m]) or increase(" + ref.name() + "[1h]) instead"));
      }
    }
  }

  /** @return the metric references of {@code expr} (empty when it cannot be read) */
  private static List<MetricNames.Ref> check(MetricCatalogue known, String file, String path, DocNode.Scalar at,
      String expr, int offset, String where, List<Problem> problems) {
    List<MetricNames.Ref> refs;
    try {
      refs = MetricNames.extract(expr);
    } catch (PromqlSyntaxException e) {
      problems.add(Problem.error(file, at.line(), at.column(), path,
          where + ": cannot read the PromQL expression: " + e.getMessage() + " at character " + (offset + e.offset() + 1),
          "fix the expression"));
      return List.of();
    }
    for (MetricNames.Ref ref : refs) {
      if (known.provider(ref.name()).isPresent()) {
        continue;
      }
      String hint = known.disabledProvider(ref.name())
          .map(s -> "it comes from " + s.id() + ", which is disabled (" + s.switchedBy() + ")")
          .orElseGet(() -> known.closest(ref.name()).map(c -> "did you mean " + c + "? ").orElse("")
              + "if your backend exposes it, declare it under custom_metrics in keiko.yml");
      int occurrence = DocNode.Scalar.wordsBefore(at.text(), ref.name(), offset + ref.offset());
      DocNode.Position pos = at.positionOf(ref.name(), occurrence);
      problems.add(Problem.error(file, pos.line(), pos.column(), path,
          where + ": unknown metric \"" + ref.name() + "\" (no enabled source provides it)", hint));
    }
    return refs;
  }
}
