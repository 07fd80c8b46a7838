package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every datasource a dashboard refers to (by uid, by name, or through a datasource template variable)
 * is provisioned. A dangling reference is what users see as "Datasource ... was not found". A datasource
 * variable ({@code ${datasource}}) resolves when a datasource of its plugin type ({@code query}) is provisioned
 * and the one it preselects ({@code current.value}) is one of them.
 */
public final class DatasourceCheck implements TreeCheck {
  /** Grafana's built-in pseudo datasources, valid without provisioning. */
  private static final Set<String> BUILT_IN = Set.of("grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --");

  @Override
  public String name() {
    return "dashboard datasources";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    Set<String> uids = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    Map<String, Set<String>> byType = new java.util.HashMap<>();
    for (DocNode doc : tree.under(TreeLayout.DATASOURCES, ".yml", ".yaml").values()) {
      if (doc instanceof DocNode.Mapping root) {
        for (DocNode ds : root.sequence("datasources")) {
          if (ds instanceof DocNode.Mapping m) {
            m.text("uid").ifPresent(uids::add);
            m.text("name").ifPresent(names::add);
            Set<String> ofType = byType.computeIfAbsent(m.text("type").orElse(""), t -> new TreeSet<>());
            m.text("uid").ifPresent(ofType::add);
            m.text("name").ifPresent(ofType::add);
          }
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, DocNode> e : tree.under(TreeLayout.DASHBOARDS, ".json").entrySet()) {
      Set<String> variables = datasourceVariables(e.getValue());
      variableProblems(tree.display(e.getKey()), e.getValue(), byType, uids, problems);
      walk(e.getValue(), "", (path, ref) -> {
        String problem = unresolved(ref, uids, names, variables);
        if (problem != null) {
          problems.add(Problem.error(tree.display(e.getKey()), ref.line(), ref.column(), path, problem,
              "provisioned datasource uids: " + String.join(", ", uids)
                  + " (in " + TreeLayout.DATASOURCES + ")"));
        }
      });
    }
    return problems;
  }

  private static String unresolved(DocNode ref, Set<String> uids, Set<String> names, Set<String> variables) {
    if (ref instanceof DocNode.Scalar s && s.kind() == DocNode.Scalar.Kind.STRING) {
      // legacy form: the datasource's name, or a variable
      String name = s.text();
      if (isVariable(name)) {
        return variables.contains(variableName(name)) ? null
            : "datasource variable " + name + " is not defined in templating.list";
      }
      return names.contains(name) || BUILT_IN.contains(name) ? null
          : "datasource \"" + name + "\" is not provisioned";
    }
    if (ref instanceof DocNode.Mapping m) {
      String uid = m.text("uid").orElse(null);
      if (uid == null) {
        return null; // {type: ...} only: Grafana uses the default datasource of that type
      }
      if (isVariable(uid)) {
        return variables.contains(variableName(uid)) ? null
            : "datasource variable " + uid + " is not defined in templating.list";
      }
      return uids.contains(uid) || BUILT_IN.contains(uid) ? null
          : "datasource uid \"" + uid + "\" is not provisioned";
    }
    return null;
  }

  private static boolean isVariable(String s) {
    return s.startsWith("$");
  }

  private static String variableName(String s) {
    return s.replaceAll("^\\$\\{?|}$", "").replaceAll(":.*$", "");
  }

  /** Names of the dashboard's template variables of type "datasource". */
  private static Set<String> datasourceVariables(DocNode dashboard) {
    Set<String> out = new TreeSet<>();
    if (dashboard instanceof DocNode.Mapping root) {
      root.mapping("templating").ifPresent(t -> {
        for (DocNode v : t.sequence("list")) {
          if (v instanceof DocNode.Mapping m && m.text("type").orElse("").equals("datasource")) {
            m.text("name").ifPresent(out::add);
          }
        }
      });
    }
    return out;
  }

  /** A datasource variable must be able to pick something, and what it preselects must exist. */
  private static void variableProblems(String file, DocNode dashboard, Map<String, Set<String>> byType, Set<String> uids,
      List<Problem> problems) {
    if (!(dashboard instanceof DocNode.Mapping root)) {
      return;
    }
    List<DocNode> list = root.mapping("templating").map(t -> t.sequence("list")).orElse(List.of());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof DocNode.Mapping v) || !v.text("type").orElse("").equals("datasource")) {
        continue;
      }
      String path = "templating.list[" + i + "]";
      String name = "datasource variable $" + v.text("name").orElse("?");
      String type = v.text("query").orElse("");
      Set<String> candidates = byType.getOrDefault(type, Set.of());
      if (candidates.isEmpty()) {
        problems.add(Problem.error(file, v.line(), v.column(), path + ".query", name + " chooses among datasources of"
                + " type \"" + type + "\", and none is provisioned",
            "set its query to the plugin type of a provisioned datasource, e.g. prometheus"));
        continue;
      }
      String current = v.mapping("current").flatMap(c -> c.text("value")).orElse("");
      if (!current.isEmpty() && !current.equals("default") && !isVariable(current) && !candidates.contains(current)) {
        DocNode at = v.mapping("current").get();
        problems.add(Problem.error(file, at.line(), at.column(), path + ".current", name + " preselects \"" + current
                + "\", which is no provisioned " + type + " datasource",
            "preselect one of " + String.join(", ", candidates) + " (provisioned uids: " + String.join(", ", uids) + ")"));
      }
    }
  }

  private interface RefVisitor {
    void visit(String path, DocNode ref);
  }

  private static void walk(DocNode node, String path, RefVisitor visitor) {
    if (node instanceof DocNode.Mapping m) {
      m.entries().forEach((k, v) -> {
        String p = path.isEmpty() ? k : path + "." + k;
        if (k.equals("datasource")) {
          visitor.visit(p, v);
        } else {
          walk(v, p, visitor);
        }
      });
    } else if (node instanceof DocNode.Sequence s) {
      for (int i = 0; i < s.items().size(); i++) {
        walk(s.items().get(i), path + "[" + i + "]", visitor);
      }
    }
  }
}
