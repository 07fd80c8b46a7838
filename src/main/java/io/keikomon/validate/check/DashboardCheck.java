package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dashboards follow Grafana's JSON model where provisioning relies on it: a uid (at most 40 characters,
 * unique, since provisioning upserts by uid) and a unique title, a schemaVersion, panel ids unique within
 * the dashboard, and grid positions inside the 24 columns that do not overlap (Grafana would silently
 * move overlapping panels).
 */
public final class DashboardCheck implements TreeCheck {
  private static final int COLUMNS = 24;
  private static final int MAX_UID = 40;

  @Override
  public String name() {
    return "dashboard model";
  }

  @Override
  public List<Problem> check(ParsedTree tree) {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> uids = new HashMap<>();
    Map<String, String> titles = new HashMap<>();
    for (Map.Entry<String, DocNode> e : tree.under(TreeLayout.DASHBOARDS, ".json").entrySet()) {
      String file = tree.display(e.getKey());
      if (!(e.getValue() instanceof DocNode.Mapping d)) {
        problems.add(Problem.error(file, e.getValue().line(), e.getValue().column(), "",
            "a dashboard must be a JSON object", "export the dashboard from Grafana as JSON"));
        continue;
      }
      unique(file, d, "uid", uids, problems);
      unique(file, d, "title", titles, problems);
      d.text("uid").filter(u -> u.length() > MAX_UID).ifPresent(u -> problems.add(at(file, d.get("uid").get(), "uid",
          "uid is " + u.length() + " characters long; Grafana allows at most " + MAX_UID, "shorten it")));
      if (d.get("schemaVersion").filter(DashboardCheck::isNumber).isEmpty()) {
        problems.add(Problem.error(file, d.line(), d.column(), "schemaVersion", "schemaVersion is missing",
            "add \"schemaVersion\": 41 (Grafana migrates older versions on load)"));
      }
      Map<Integer, String> ids = new HashMap<>();
      List<DocNode> panels = d.sequence("panels");
      panels(file, panels, "panels", ids, problems);
    }
    return problems;
  }

  private static void unique(String file, DocNode.Mapping d, String key, Map<String, String> seen,
      List<Problem> problems) {
    Optional<String> value = d.text(key).filter(v -> !v.isBlank());
    if (value.isEmpty()) {
      problems.add(Problem.error(file, d.line(), d.column(), key, "the dashboard has no " + key,
          "give it a fixed " + key + " so provisioning updates it instead of adding a copy"));
      return;
    }
    String other = seen.putIfAbsent(value.get(), file);
    if (other != null) {
      problems.add(at(file, d.get(key).get(), key, key + " \"" + value.get() + "\" is also used by " + other,
          "every provisioned dashboard needs its own " + key));
    }
  }

  /** One level of panels: ids unique in the dashboard, grid positions valid and not overlapping each other. */
  private static void panels(String file, List<DocNode> panels, String path, Map<Integer, String> ids,
      List<Problem> problems) {
    List<int[]> boxes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < panels.size(); i++) {
      if (!(panels.get(i) instanceof DocNode.Mapping p)) {
        continue;
      }
      String here = path + "[" + i + "]";
      String name = "panel \"" + p.text("title").orElse("#" + i) + "\"";
      Optional<Integer> id = p.text("id").flatMap(DashboardCheck::integer);
      if (id.isEmpty()) {
        problems.add(Problem.error(file, p.line(), p.column(), here + ".id", name + " has no numeric id",
            "number the panels 1, 2, 3, ..."));
      } else {
        String other = ids.putIfAbsent(id.get(), name);
        if (other != null) {
          problems.add(at(file, p.get("id").get(), here + ".id", name + " has id " + id.get() + ", like " + other,
              "give every panel of a dashboard its own id"));
        }
      }
      Optional<int[]> box = box(p);
      if (box.isEmpty()) {
        problems.add(Problem.error(file, p.line(), p.column(), here + ".gridPos", name + " has no complete gridPos",
            "add \"gridPos\": {\"x\": .., \"y\": .., \"w\": .., \"h\": ..}"));
      } else {
        int[] b = box.get();
        if (b[0] < 0 || b[2] < 1 || b[3] < 1 || b[0] + b[2] > COLUMNS) {
          problems.add(at(file, p.get("gridPos").get(), here + ".gridPos",
              name + " does not fit the grid (x " + b[0] + " + w " + b[2] + " must be within " + COLUMNS
                  + " columns, w and h at least 1)", "fix its gridPos"));
        }
        for (int j = 0; j < boxes.size(); j++) {
          if (overlap(b, boxes.get(j))) {
            problems.add(at(file, p.get("gridPos").get(), here + ".gridPos", name + " overlaps " + names.get(j),
                "move one of them; Grafana would shift them on load"));
          }
        }
        boxes.add(b);
        names.add(name);
      }
      // a collapsed row keeps its panels inside it, laid out among themselves
      panels(file, p.sequence("panels"), here + ".panels", ids, problems);
    }
  }

  private static Optional<int[]> box(DocNode.Mapping panel) {
    Optional<DocNode.Mapping> g = panel.mapping("gridPos");
    if (g.isEmpty()) {
      return Optional.empty();
    }
    int[] b = new int[4];
    String[] keys = {"x", "y", "w", "h"};
    for (int i = 0; i < 4; i++) {
      Optional<Integer> v = g.get().text(keys[i]).flatMap(DashboardCheck::integer);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      b[i] = v.get();
    }
    return Optional.of(b);
  }

  private static boolean overlap(int[] a, int[] b) {
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  }

  private static boolean isNumber(DocNode n) {
    return n instanceof DocNode.Scalar s && s.kind() == DocNode.Scalar.Kind.NUMBER;
  }

  private static Optional<Integer> integer(String s) {
    try {
      return Optional.of(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Problem at(String file, DocNode node, String path, String message, String hint) {
    return Problem.error(file, node.line(), node.column(), path, message, hint);
  }
}
