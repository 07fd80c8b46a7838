package io.keikomon.validate.oracle;

import io.keikomon.config.Durations;
import io.keikomon.content.promql.MetricNames;
import io.keikomon.content.promql.PromqlLexer;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.content.promql.Token;
import io.keikomon.core.Digests;
import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A {@code promtool test rules} file cut into parts by the rules their cases can see, so that a change to one
 * rule runs only the cases that can see it. A case sees the alerting rules of the alerts it tests, and every
 * recording rule whose {@code record:} name is a metric read by its expressions, by those alerts or by a rule it
 * already sees. Other rules cannot change what it sees: what they write is series of other names. So a case
 * sees every rule when something it sees reads {@code ALERTS} or {@code ALERTS_FOR_STATE} (what alerting rules
 * write), selects series without naming them ({@code {job="x"}}, {@code {__name__=~"..."}}, {@code info()}),
 * queries from an alert's template, cannot be lexed, or tests no alert nor expression. A part's key digests
 * everything its cases can depend on: the file's settings, the cases, and the rules they see with their groups'
 * settings. Its cases run from a copy of the file with the other cases blanked out, so promtool's line numbers
 * stay those of the file. (promtool also fails a case when any loaded rule fails to evaluate on its input; a rule
 * the case does not see is then proven on its own cases' inputs only.)
 */
final class RuleTestParts {
  /** The cases (indexes into {@code tests}) that see the same rules, and the digest of their inputs. */
  record Part(String key, List<Integer> cases) {}

  /** The rules a part's cases see, by id ({@code alert:X}, {@code record:Y}), or all of them. */
  private record Sees(boolean all, SortedSet<String> rules) {
    static final Sees ALL = new Sees(true, new TreeSet<>());

    String id() {
      return all ? "*" : String.join(",", rules);
    }
  }

  private record Span(int from, int to) {} // 0-based lines, to exclusive

  /**
   * A rule: its id, its canonical text, where it is (null when its group cannot be cut by lines) and the metric
   * names it reads (empty when it may read anything).
   */
  private record Rule(String id, String canonical, Span at, Optional<Set<String>> reads) {}

  /** A rule group: everything but its rules, canonical, and its rules in order. */
  private record Group(String settings, List<Rule> rules) {}

  /** A rule file the tests load. */
  private record RuleFile(String rel, String text, String canonical, List<Group> groups) {}

  /** What alerting rules write, and so what reads another alert's state. */
  private static final Set<String> ALERT_SERIES = Set.of("ALERTS", "ALERTS_FOR_STATE");
  /** A Go template action calling {@code query}, which runs PromQL of its own. */
  private static final Pattern TEMPLATE_QUERY = Pattern.compile("\\{\\{[^}]*\\bquery\\b");
  /**
   * promtool's time (µs) for one case, measured with promtool 2.42 on cuts of the default tests: about 20 ms for
   * its own storage, plus about 0.1 ms per loaded rule per evaluation step.
   */
  private static final long CASE_US = 20_000;
  private static final long RULE_STEP_US = 100;

  private final String rel;
  private final String text;
  private final List<Span> spans;
  private final List<Part> parts;
  private final Map<Part, Sees> sees;
  private final List<RuleFile> ruleFiles;
  private final long[] steps;

  private RuleTestParts(String rel, String text, List<Span> spans, List<Part> parts, Map<Part, Sees> sees,
      List<RuleFile> ruleFiles, long[] steps) {
    this.rel = rel;
    this.text = text;
    this.spans = spans;
    this.parts = parts;
    this.sees = sees;
    this.ruleFiles = ruleFiles;
    this.steps = steps;
  }

  List<Part> parts() {
    return parts;
  }

  /**
   * Cuts {@code rel} (text {@code text}, parsed as {@code doc}); empty when its shape is not one this can cut
   * safely (flow style, rule files given by glob, not in the folder or with rules of an unknown shape), and then
   * it runs whole.
   */
  static Optional<RuleTestParts> of(String rel, String text, DocNode doc, ParsedTree tree) {
    if (!(doc instanceof DocNode.Mapping top)) {
      return Optional.empty();
    }
    List<DocNode> cases = top.sequence("tests");
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
      Optional<RuleFile> read = ruleFile(ruleFile, tree.tree().text(ruleFile).orElse(""), m);
      if (read.isEmpty()) {
        return Optional.empty();
      }
      ruleFiles.add(read.get());
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
    Map<String, List<Rule>> byId = new LinkedHashMap<>();
    ruleFiles.forEach(f -> f.groups().forEach(g -> g.rules().forEach(
        r -> byId.computeIfAbsent(r.id(), x -> new ArrayList<>()).add(r))));
    Duration interval = top.text("evaluation_interval").filter(Durations::isPositive).map(Durations::parse)
        .orElse(Duration.ofMinutes(1));
    Map<String, List<Integer>> byRules = new LinkedHashMap<>();
    Map<String, Sees> seen = new LinkedHashMap<>();
    long[] steps = new long[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      Sees s = sees(cases.get(i), byId);
      byRules.computeIfAbsent(s.id(), x -> new ArrayList<>()).add(i);
      seen.put(s.id(), s);
      steps[i] = lastEvaluation(cases.get(i)).toMillis() / interval.toMillis() + 1;
    }
    List<Part> parts = new ArrayList<>();
    Map<Part, Sees> partSees = new LinkedHashMap<>();
    byRules.forEach((id, indexes) -> {
      StringBuilder in = new StringBuilder(settings);
      indexes.forEach(i -> in.append("case ").append(canonical(cases.get(i))).append('\n'));
      ruleFiles.forEach(f -> in.append("rules ").append(f.rel()).append(' ').append(visible(f, seen.get(id)))
          .append('\n'));
      Part part = new Part(Digests.sha256Hex(in.toString()), List.copyOf(indexes));
      parts.add(part);
      partSees.put(part, seen.get(id));
    });
    return Optional.of(new RuleTestParts(rel, text, spans, parts, partSees, ruleFiles, steps));
  }

  /**
   * The test file with only the cases of {@code keep}, and the rule files it loads with only the rules those cases
   * see, or with all of them ({@code allRules}); everything else is blanked line by line, so the line numbers are
   * those of the folder's files. Paths as in the folder.
   */
  Map<String, String> keeping(Set<Part> keep, boolean allRules) {
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
    boolean all = allRules || keep.stream().anyMatch(p -> sees.get(p).all());
    Set<String> needed = new HashSet<>();
    keep.forEach(p -> needed.addAll(sees.get(p).rules()));
    for (RuleFile f : ruleFiles) {
      List<Span> unused = new ArrayList<>();
      if (!all) {
        f.groups().forEach(g -> g.rules().stream().filter(r -> r.at() != null && !needed.contains(r.id()))
            .forEach(r -> unused.add(r.at())));
      }
      out.put(f.rel(), blanked(f.text(), unused));
    }
    return out;
  }

  /** An estimate of promtool's time (µs) for the cases of {@code part} with the rules {@link #keeping} loads. */
  long cost(Part part, boolean allRules) {
    Sees s = sees.get(part);
    long rules = allRules || s.all()
        ? ruleFiles.stream().mapToLong(f -> f.groups().stream().mapToLong(g -> g.rules().size()).sum()).sum()
        : s.rules().size();
    return part.cases().stream().mapToLong(i -> CASE_US + steps[i] * rules * RULE_STEP_US).sum();
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

  /** A rule file's groups and rules; empty when a group or rule is not of a shape promtool loads. */
  private static Optional<RuleFile> ruleFile(String rel, String text, DocNode.Mapping doc) {
    List<Group> groups = new ArrayList<>();
    for (DocNode g : doc.sequence("groups")) {
      if (!(g instanceof DocNode.Mapping group)) {
        return Optional.empty();
      }
      List<DocNode> own = group.sequence("rules");
      List<Span> at = spans(text, own);
      boolean cuttable = at.size() == own.size(); // else its rules stay loaded
      List<Rule> rules = new ArrayList<>();
      for (int i = 0; i < own.size(); i++) {
        if (!(own.get(i) instanceof DocNode.Mapping r)) {
          return Optional.empty();
        }
        Optional<String> alert = r.text("alert");
        Optional<String> record = r.text("record");
        Optional<String> expr = r.text("expr");
        if (expr.isEmpty() || alert.isPresent() == record.isPresent()) {
          return Optional.empty();
        }
        Optional<Set<String>> reads = alert.isPresent() && queriesInTemplates(r) ? Optional.empty() : reads(expr.get());
        rules.add(new Rule(alert.map(a -> "alert:" + a).orElseGet(() -> "record:" + record.get()), canonical(r),
            cuttable ? at.get(i) : null, reads));
      }
      StringBuilder settings = new StringBuilder();
      group.entries().forEach((k, v) -> {
        if (!k.equals("rules")) {
          settings.append(k).append('=').append(canonical(v)).append(';');
        }
      });
      groups.add(new Group(settings.toString(), List.copyOf(rules)));
    }
    return Optional.of(new RuleFile(rel, text, canonical(doc), List.copyOf(groups)));
  }

  /** True when a label or annotation of an alerting rule runs a query of its own when it is expanded. */
  private static boolean queriesInTemplates(DocNode.Mapping rule) {
    return List.of("labels", "annotations").stream().flatMap(k -> rule.mapping(k).stream())
        .flatMap(m -> m.entries().values().stream())
        .anyMatch(v -> v instanceof DocNode.Scalar s && TEMPLATE_QUERY.matcher(s.text()).find());
  }

  /**
   * The metric names {@code expr} selects; empty when it may select anything: a selector that names no metric
   * ({@code {job="x"}}, {@code {__name__=~"..."}}), {@code info()}, or an expression that does not lex (promtool
   * reports it).
   */
  private static Optional<Set<String>> reads(String expr) {
    try {
      List<Token> tokens = PromqlLexer.tokenize(expr);
      List<MetricNames.Ref> refs = MetricNames.extract(expr);
      Set<Integer> named = new HashSet<>();
      refs.forEach(r -> named.add(r.offset()));
      for (int i = 0; i < tokens.size(); i++) {
        if (isCall(tokens, i, "info")) {
          return Optional.empty(); // it selects target_info (or what its second argument names) by itself
        }
        if (!tokens.get(i).is(Token.Kind.LEFT_BRACE)) {
          continue;
        }
        int open = tokens.get(i).offset();
        int close = tokens.stream().skip(i).filter(t -> t.is(Token.Kind.RIGHT_BRACE)).findFirst()
            .map(Token::offset).orElse(expr.length());
        boolean nameBefore = i > 0 && named.contains(tokens.get(i - 1).offset());
        boolean nameInside = refs.stream().anyMatch(r -> r.offset() > open && r.offset() < close);
        if (!nameBefore && !nameInside) {
          return Optional.empty();
        }
      }
      Set<String> names = new TreeSet<>();
      refs.forEach(r -> names.add(r.name()));
      return Optional.of(names);
    } catch (PromqlSyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean isCall(List<Token> tokens, int i, String function) {
    return tokens.get(i).is(Token.Kind.IDENTIFIER) && tokens.get(i).text().equals(function) && i + 1 < tokens.size()
        && tokens.get(i + 1).is(Token.Kind.LEFT_PAREN);
  }

  /** The rules a case sees (see the class comment). */
  private static Sees sees(DocNode node, Map<String, List<Rule>> byId) {
    if (!(node instanceof DocNode.Mapping c)) {
      return Sees.ALL;
    }
    Deque<String> todo = new ArrayDeque<>();
    for (DocNode t : c.sequence("alert_rule_test")) {
      if (!(t instanceof DocNode.Mapping m) || m.text("alertname").isEmpty()) {
        return Sees.ALL;
      }
      todo.add("alert:" + m.text("alertname").get());
    }
    for (DocNode t : c.sequence("promql_expr_test")) {
      Optional<Set<String>> reads = t instanceof DocNode.Mapping m ? m.text("expr").flatMap(RuleTestParts::reads)
          : Optional.empty();
      if (!recorded(reads, todo)) {
        return Sees.ALL;
      }
    }
    if (todo.isEmpty()) {
      return Sees.ALL;
    }
    SortedSet<String> seen = new TreeSet<>();
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!byId.containsKey(id) || !seen.add(id)) {
        continue;
      }
      for (Rule r : byId.get(id)) {
        if (!recorded(r.reads(), todo)) {
          return Sees.ALL;
        }
      }
    }
    return new Sees(false, seen);
  }

  /**
   * Adds the recording rules that may write what {@code reads} names to {@code todo}; false when it may read
   * anything or reads what alerting rules write.
   */
  private static boolean recorded(Optional<Set<String>> reads, Deque<String> todo) {
    if (reads.isEmpty() || reads.get().stream().anyMatch(ALERT_SERIES::contains)) {
      return false;
    }
    reads.get().forEach(n -> todo.add("record:" + n));
    return true;
  }

  /** The latest eval_time of a case's tests (zero when none is readable). */
  private static Duration lastEvaluation(DocNode node) {
    Duration last = Duration.ZERO;
    if (node instanceof DocNode.Mapping c) {
      for (String kind : List.of("alert_rule_test", "promql_expr_test")) {
        for (DocNode t : c.sequence(kind)) {
          Optional<Duration> at = t instanceof DocNode.Mapping m
              ? m.text("eval_time").filter(Durations::isValid).map(Durations::parse) : Optional.empty();
          if (at.isPresent() && at.get().compareTo(last) > 0) {
            last = at.get();
          }
        }
      }
    }
    return last;
  }

  /** What of a rule file cases that see {@code sees} can see: the rules they see, with their groups' settings. */
  private static String visible(RuleFile f, Sees sees) {
    if (sees.all()) {
      return f.canonical();
    }
    StringBuilder out = new StringBuilder();
    for (Group g : f.groups()) {
      List<Rule> mine = g.rules().stream().filter(r -> sees.rules().contains(r.id())).toList();
      if (!mine.isEmpty()) {
        out.append("group ").append(g.settings()).append('{');
        mine.forEach(r -> out.append(r.canonical()).append(','));
        out.append('}');
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
