package io.keikomon.validate.oracle;

import io.keikomon.core.Digests;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@code promtool test rules} file cut into parts by the alerts its cases test, so that a change to one
 * alert runs only that alert's cases. A part's key digests everything its cases can depend on: the file's
 * settings, the cases, the rules of the alerts they name (with their group's settings) and every group that
 * records series. Other alerting rules cannot change what these cases see. A case that tests expressions
 * ({@code promql_expr_test}) or names no alert depends on all rules. The cases of a part run from the same
 * file with the other cases blanked out, so promtool's line numbers stay those of the file.
 */
final class RuleTestParts {
  /** The cases (indexes into {@code tests}) testing the same alerts, and the digest of their inputs. */
  record Part(String key, List<Integer> cases) {}

  private record Span(int from, int to) {} // 0-based lines, to exclusive

  /** A rule file the tests load: where it is, its text, and the alerting rules of alert-only groups. */
  private record RuleFile(String rel, String text, Map<String, List<Span>> alertSpans) {}

  private final String rel;
  private final String text;
  private final List<Span> spans;
  private final List<Part> parts;
  private final Map<Part, SortedSet<String>> alerts;
  private final List<RuleFile> ruleFiles;

  private RuleTestParts(String rel, String text, List<Span> spans, List<Part> parts,
      Map<Part, SortedSet<String>> alerts, List<RuleFile> ruleFiles) {
    this.rel = rel;
    this.text = text;
    this.spans = spans;
    this.parts = parts;
    this.alerts = alerts;
    this.ruleFiles = ruleFiles;
  }

  List<Part> parts() {
    return parts;
  }

  /**
   * Cuts {@code rel} (text {@code text}, parsed as {@code doc}); empty when its shape is not one this can cut
   * safely (flow style, rule files given by glob or not in the folder), and then it runs whole.
   */
  static Optional<RuleTestParts> of(String rel, String text, DocNode doc, ParsedTree tree) {
    if (!(doc instanceof DocNode.Mapping top)) {
      return Optional.empty();
    }
    List<DocNode> cases = top.sequence("tests");
    List<DocNode.Mapping> ruleDocs = new ArrayList<>();
    List<RuleFile> ruleFiles = new ArrayList<>();
    Path dir = Path.of(rel).getParent();
    for (DocNode f : top.sequence("rule_files")) {
      if (!(f instanceof DocNode.Scalar s) || s.text().contains("*")) {
        return Optional.empty();
      }
      String ruleFile = (dir == null ? Path.of(s.text()) : dir.resolve(s.text())).normalize().toString();
      if (!(tree.docs().get(ruleFile) instanceof DocNode.Mapping m)) {
        return Optional.empty();
      }
      ruleDocs.add(m);
      ruleFiles.add(new RuleFile(ruleFile, tree.tree().text(ruleFile).orElse(""), alertSpans(tree.tree()
          .text(ruleFile).orElse(""), m)));
    }
    List<Span> spans = spans(text, cases);
    if (cases.isEmpty() || spans.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder settings = new StringBuilder("test file " + rel + "\n");
    top.entries().forEach((k, v) -> {
      if (!k.equals("tests")) {
        settings.append(k).append('=').append(canonical(v)).append('\n');
      }
    });
    Map<String, List<Integer>> byAlerts = new LinkedHashMap<>();
    Map<String, SortedSet<String>> alertsOf = new LinkedHashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      SortedSet<String> alerts = alertsTested(cases.get(i));
      String id = alerts == null ? "*" : String.join(",", alerts);
      byAlerts.computeIfAbsent(id, x -> new ArrayList<>()).add(i);
      alertsOf.put(id, alerts);
    }
    List<Part> parts = new ArrayList<>();
    Map<Part, SortedSet<String>> partAlerts = new LinkedHashMap<>();
    byAlerts.forEach((id, indexes) -> {
      StringBuilder in = new StringBuilder(settings);
      indexes.forEach(i -> in.append("case ").append(canonical(cases.get(i))).append('\n'));
      ruleDocs.forEach(rules -> in.append("rules ").append(rulesFor(rules, alertsOf.get(id))).append('\n'));
      Part part = new Part(Digests.sha256Hex(in.toString()), List.copyOf(indexes));
      parts.add(part);
      partAlerts.put(part, alertsOf.get(id));
    });
    return Optional.of(new RuleTestParts(rel, text, spans, parts, partAlerts, ruleFiles));
  }

  /**
   * The test file with only the cases of {@code keep} and the rule files it loads with only what those cases
   * can see (promtool evaluates every loaded rule at every step, so fewer rules run much faster); everything
   * else is blanked line by line, so the line numbers are those of the folder's files. Paths as in the folder.
   */
  Map<String, String> keeping(Set<Part> keep) {
    Set<Integer> kept = new TreeSet<>();
    keep.forEach(p -> kept.addAll(p.cases()));
    Map<String, String> out = new LinkedHashMap<>();
    List<Span> blank = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      if (!kept.contains(i)) {
        blank.add(spans.get(i));
      }
    }
    out.put(rel, blanked(text, blank));
    boolean allRules = keep.stream().anyMatch(p -> alerts.get(p) == null);
    Set<String> needed = new TreeSet<>();
    keep.forEach(p -> needed.addAll(alerts.get(p) == null ? Set.of() : alerts.get(p)));
    for (RuleFile f : ruleFiles) {
      List<Span> unused = new ArrayList<>();
      if (!allRules) {
        f.alertSpans().forEach((alert, at) -> {
          if (!needed.contains(alert)) {
            unused.addAll(at);
          }
        });
      }
      out.put(f.rel(), blanked(f.text(), unused));
    }
    return out;
  }

  private static String blanked(String text, List<Span> blank) {
    String[] lines = text.split("\n", -1);
    for (Span s : blank) {
      for (int l = s.from(); l < s.to(); l++) {
        lines[l] = "";
      }
    }
    return String.join("\n", lines);
  }

  /** Where each alerting rule of a group that records nothing is, by alert name (none if it cannot be cut). */
  private static Map<String, List<Span>> alertSpans(String text, DocNode.Mapping rules) {
    Map<String, List<Span>> out = new LinkedHashMap<>();
    for (DocNode g : rules.sequence("groups")) {
      if (!(g instanceof DocNode.Mapping group)) {
        return Map.of();
      }
      List<DocNode> own = group.sequence("rules");
      if (own.stream().anyMatch(r -> !(r instanceof DocNode.Mapping m) || m.get("alert").isEmpty())) {
        continue; // recording groups stay whole
      }
      List<Span> at = spans(text, own);
      if (at.size() != own.size()) {
        return Map.of();
      }
      for (int i = 0; i < own.size(); i++) {
        out.computeIfAbsent(((DocNode.Mapping) own.get(i)).text("alert").orElse(""), x -> new ArrayList<>())
            .add(at.get(i));
      }
    }
    return out;
  }

  /** The alert names a case tests, or null when it depends on every rule. */
  private static SortedSet<String> alertsTested(DocNode node) {
    if (!(node instanceof DocNode.Mapping c) || c.get("promql_expr_test").isPresent()) {
      return null;
    }
    SortedSet<String> names = new TreeSet<>();
    for (DocNode t : c.sequence("alert_rule_test")) {
      if (!(t instanceof DocNode.Mapping m) || m.text("alertname").isEmpty()) {
        return null;
      }
      names.add(m.text("alertname").get());
    }
    return names.isEmpty() ? null : names;
  }

  /** What of a rule file cases testing {@code alerts} can see: recording groups, and those alerts' rules. */
  private static String rulesFor(DocNode.Mapping rules, SortedSet<String> alerts) {
    if (alerts == null) {
      return canonical(rules);
    }
    StringBuilder out = new StringBuilder();
    for (DocNode g : rules.sequence("groups")) {
      if (!(g instanceof DocNode.Mapping group)) {
        out.append(canonical(g));
        continue;
      }
      List<DocNode> own = group.sequence("rules");
      boolean records = own.stream().anyMatch(r -> !(r instanceof DocNode.Mapping m) || m.get("alert").isEmpty());
      if (records) {
        out.append(canonical(group));
        continue;
      }
      List<DocNode> mine = own.stream()
          .filter(r -> alerts.contains(((DocNode.Mapping) r).text("alert").orElse(""))).toList();
      if (!mine.isEmpty()) {
        group.entries().forEach((k, v) -> {
          if (!k.equals("rules")) {
            out.append(k).append('=').append(canonical(v)).append(';');
          }
        });
        mine.forEach(r -> out.append(canonical(r)));
      }
    }
    return out.toString();
  }

  /**
   * Each case's lines: from its first line up to the next line indented less than its keys. Empty when two
   * cases share a line (flow style), which cannot be cut by lines.
   */
  private static List<Span> spans(String text, List<DocNode> cases) {
    String[] lines = text.split("\n", -1);
    List<Span> spans = new ArrayList<>();
    int previous = -1;
    for (DocNode c : cases) {
      int from = c.line() - 1;
      int indent = c.column() - 1;
      if (!(c instanceof DocNode.Mapping) || from <= previous || from >= lines.length) {
        return List.of();
      }
      int to = from + 1;
      while (to < lines.length) {
        String l = lines[to];
        String body = l.strip();
        if (!body.isEmpty() && !body.startsWith("#") && l.length() - l.stripLeading().length() < indent) {
          break;
        }
        to++;
      }
      spans.add(new Span(from, to));
      previous = from;
    }
    return spans;
  }

  private static String canonical(DocNode node) {
    if (node instanceof DocNode.Mapping m) {
      StringBuilder out = new StringBuilder("{");
      m.entries().forEach((k, v) -> out.append(k.length()).append(':').append(k).append('=').append(canonical(v))
          .append(','));
      return out.append('}').toString();
    }
    if (node instanceof DocNode.Sequence s) {
      StringBuilder out = new StringBuilder("[");
      s.items().forEach(i -> out.append(canonical(i)).append(','));
      return out.append(']').toString();
    }
    DocNode.Scalar s = (DocNode.Scalar) node;
    return s.kind() + "/" + s.text().length() + ":" + s.text();
  }
}
