package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.content.promql.OutputLabels;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inhibit rule whose {@code equal} names a label one side never carries cannot mute anything: Alertmanager
 * compares the label's values, and "" never equals a real value. Which alerts a side selects comes from its
 * matchers against each alert rule's static labels (plus {@code alertname} and Prometheus' external labels);
 * which labels an alert carries comes from its expression ({@link OutputLabels}: {@code sum by (service) (...)}
 * carries exactly service) and its static labels. A side whose alerts all carry a known, closed set without the
 * label, while the other side has an alert that carries it, is reported.
 */
public final class InhibitionLabelsCheck implements TreeCheck {
  private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=).*");

  private record Alert(String name, Map<String, String> labels, OutputLabels output) {
    boolean carries(String label) {
      return labels.containsKey(label) || output.carried().contains(label);
    }

    boolean lacks(String label) {
      return output.closed() && !carries(label);
    }
  }

  @Override
  public String name() {
    return "inhibition labels";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    List<Problem> problems = new ArrayList<>();
    if (!(tree.docs().get(TreeLayout.ALERTMANAGER_CONFIG) instanceof DocNode.Mapping am)) {
      return problems;
    }
    Map<String, String> external = new LinkedHashMap<>();
    if (tree.docs().get(TreeLayout.PROMETHEUS_CONFIG) instanceof DocNode.Mapping prom) {
      prom.mapping("global").flatMap(g -> g.mapping("external_labels")).ifPresent(m -> m.entries().forEach(
          (k, v) -> external.put(k, v instanceof DocNode.Scalar s ? s.text() : "")));
    }
    List<Alert> alerts = new ArrayList<>();
    for (DocNode file : tree.under(TreeLayout.RULES, ".yml", ".yaml").values()) {
      for (RuleDocs.Rule r : RuleDocs.rules(file)) {
        if (r.record()) {
          continue;
        }
        Map<String, String> labels = new LinkedHashMap<>(external);
        labels.putAll(r.labels());
        labels.put("alertname", r.name());
        try {
          alerts.add(new Alert(r.name(), labels, OutputLabels.of(r.expr().text())));
        } catch (PromqlSyntaxException e) {
          // reported by the syntax check
        }
      }
    }
    String file = tree.display(TreeLayout.ALERTMANAGER_CONFIG);
    List<DocNode> rules = am.sequence("inhibit_rules");
    for (int i = 0; i < rules.size(); i++) {
      if (!(rules.get(i) instanceof DocNode.Mapping rule)) {
        continue;
      }
      List<Alert> sources = selected(alerts, rule.sequence("source_matchers"));
      List<Alert> targets = selected(alerts, rule.sequence("target_matchers"));
      if (sources.isEmpty() || targets.isEmpty()) {
        continue;
      }
      for (DocNode n : rule.sequence("equal")) {
        if (!(n instanceof DocNode.Scalar label)) {
          continue;
        }
        String l = label.text();
        String problem = lacking("source", sources, "target", targets, l);
        if (problem == null) {
          problem = lacking("target", targets, "source", sources, l);
        }
        if (problem != null) {
          problems.add(Problem.error(file, label.line(), label.column(), "inhibit_rules[" + i + "].equal",
              problem, "drop " + l + " from equal, or make both sides carry it (aggregate `by (" + l + ", ...)`"
                  + " in the rule, or give both alerts the label)"));
        }
      }
    }
    return problems;
  }

  private static String lacking(String side, List<Alert> these, String other, List<Alert> those, String label) {
    if (these.stream().allMatch(a -> a.lacks(label)) && those.stream().anyMatch(a -> a.carries(label))) {
      Set<String> names = new TreeSet<>();
      these.forEach(a -> names.add(a.name()));
      String carrier = those.stream().filter(a -> a.carries(label)).findFirst().map(Alert::name).orElse("?");
      return "equal label " + label + ": the " + side + " alerts " + names + " never carry it (their expressions"
          + " keep only " + these.get(0).output().carried() + " plus their static labels) while the " + other
          + " alert " + carrier + " does, so this inhibition can never apply";
    }
    return null;
  }

  /** The alerts a side's matchers may select; a matcher on a label the rule does not set statically is ignored. */
  private static List<Alert> selected(List<Alert> alerts, List<DocNode> matchers) {
    List<Alert> out = new ArrayList<>();
    for (Alert a : alerts) {
      boolean all = true;
      for (DocNode n : matchers) {
        if (!(n instanceof DocNode.Scalar s)) {
          continue;
        }
        Matcher m = MATCHER.matcher(s.text());
        if (m.matches() && !a.labels().containsKey(m.group(1)) && !m.group(2).startsWith("!")) {
          all = a.carries(m.group(1)) || !a.output().closed(); // set by the expression, value unknown: may match
          if (!all) {
            break;
          }
          continue;
        }
        if (!RouteMatchers.matches(s.text(), a.labels())) {
          all = false;
          break;
        }
      }
      if (all) {
        out.add(a);
      }
    }
    return out;
  }
}
