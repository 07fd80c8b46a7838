package io.keikomon.validate.oracle;

import io.keikomon.config.Problem;
import io.keikomon.core.Digests;
import io.keikomon.validate.CheckResult;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.render.RenderedTree;
import io.keikomon.validate.tree.TreeFiles;
import io.keikomon.validate.tree.TreeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real checkers, run on a scratch copy of an output folder: promtool check config / check rules /
 * test rules, amtool check-config and (when installed) docker-compose config. Container paths in the
 * configs are rewritten first ({@link ContainerPaths}) so the tools see the same files the containers
 * will.
 */
public final class OracleChecks {
  private static final Pattern RULE_FILES_FOUND = Pattern.compile("SUCCESS: (\\d+) rule files found");

  private final OracleRunner runner;
  private final PassedRuns passed;

  /** Runs every oracle every time (what {@code keiko-mon validate} does). */
  public OracleChecks(OracleRunner runner) {
    this(runner, PassedRuns.NONE);
  }

  /** Runs only the oracles, files and rule-test cases whose inputs did not pass before; remembers those that pass. */
  public OracleChecks(OracleRunner runner, PassedRuns passed) {
    this.runner = runner;
    this.passed = passed;
  }

  /** One oracle's verdict and the problems it reported. */
  public record Outcome(CheckResult check, List<Problem> problems) {
    public Outcome {
      problems = List.copyOf(problems);
    }
  }

  /**
   * One tool run. {@code keys} name what it proves when it passes; {@code of} says how much of the work it
   * covers when some of it passed before ("" when all); {@code scratch} replaces files of the scratch copy
   * (rule tests with the cases that need no run blanked out).
   */
  private record Invocation(String name, Tool tool, String file, List<String> args, List<String> keys, String of,
      Map<String, String> scratch) {}

  public List<Outcome> run(ParsedTree parsed) throws IOException, InterruptedException {
    RenderedTree tree = parsed.tree();
    ContainerPaths paths = ContainerPaths.of(parsed);
    Map<String, String> files = new TreeMap<>(tree.files());
    files.replaceAll(paths::rewrite);
    List<Outcome> outcomes = new ArrayList<>();
    List<Invocation> invocations = new ArrayList<>();
    for (Object planned : invocations(parsed, files)) {
      if (planned instanceof Invocation inv) {
        invocations.add(inv);
      } else {
        outcomes.add((Outcome) planned);
      }
    }
    if (invocations.isEmpty()) {
      return outcomes;
    }
    Path scratch = Files.createTempDirectory("keiko-validate");
    try {
      invocations.forEach(inv -> files.putAll(inv.scratch()));
      TreeFiles.write(new RenderedTree(files), scratch);
      // the tools are independent and mostly wait (promtool test rules takes seconds): run them side by side
      ExecutorService pool = Executors.newFixedThreadPool(
          Math.min(invocations.size(), Math.max(2, Runtime.getRuntime().availableProcessors())));
      try {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Invocation inv : invocations) {
          futures.add(pool.submit(() -> run(inv, scratch, parsed)));
        }
        List<String> proven = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
          Outcome o = result(futures.get(i));
          outcomes.add(o);
          if (o.check().status() == CheckResult.Status.PASSED) {
            proven.addAll(invocations.get(i).keys());
          }
        }
        passed.addAll(proven);
      } finally {
        pool.shutdownNow();
      }
    } finally {
      deleteRecursively(scratch);
    }
    return outcomes.stream().sorted(Comparator.comparingInt(o -> ORDER.indexOf(o.check().name()))).toList();
  }

  private static final List<String> ORDER = List.of("promtool check config", "promtool check rules",
      "promtool test rules", "promtool check web-config", "amtool check-config", "docker-compose config");

  private static Outcome result(Future<Outcome> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Each oracle as an {@link Invocation}, or as a passed {@link Outcome} when all it would check passed before. */
  private List<Object> invocations(ParsedTree parsed, Map<String, String> files) {
    RenderedTree tree = parsed.tree();
    List<Object> list = new ArrayList<>();
    List<String> rules = files(tree, TreeLayout.RULES);
    List<String> tests = files(tree, TreeLayout.RULE_TESTS);
    // tools that look up other files see the folder's listing; contents they read are in their own keys
    String listing = String.join("\n", files.keySet());
    if (files.containsKey(TreeLayout.PROMETHEUS_CONFIG)) {
      // it loads the rule files too, but their content is what `check rules` proves
      whole(list, "promtool check config", Tool.PROMTOOL, TreeLayout.PROMETHEUS_CONFIG,
          List.of("check", "config", TreeLayout.PROMETHEUS_CONFIG), files.get(TreeLayout.PROMETHEUS_CONFIG) + listing);
    }
    if (!rules.isEmpty()) {
      Map<String, String> keys = new TreeMap<>();
      rules.forEach(r -> keys.put(r, key("promtool check rules", r, files.get(r))));
      List<String> pending = rules.stream().filter(r -> !passed.contains(keys.get(r))).toList();
      String name = "promtool check rules";
      if (pending.isEmpty()) {
        list.add(unchanged(name));
      } else {
        list.add(new Invocation(name, Tool.PROMTOOL, pending.get(0), concat(List.of("check", "rules"), pending),
            pending.stream().map(keys::get).toList(), of(pending.size(), rules.size(), "file"), Map.of()));
      }
    }
    if (!tests.isEmpty()) {
      testRules(parsed, files, tests).ifPresent(list::add);
    }
    List<String> webConfigs = java.util.Arrays.stream(io.keikomon.core.ProtectedEndpoint.values())
        .map(io.keikomon.core.ProtectedEndpoint::webConfig).filter(files::containsKey).toList();
    if (!webConfigs.isEmpty()) {
      // it loads the certificate and key each names: their contents are part of the key
      String inputs = webConfigs.stream().map(f -> f + "\n" + files.get(f)).reduce("", String::concat)
          + files.entrySet().stream().filter(e -> e.getKey().endsWith(".crt") || e.getKey().endsWith(".key"))
              .map(e -> e.getKey() + "\n" + e.getValue()).reduce("", String::concat);
      String key = key("promtool check web-config", webConfigs.get(0), inputs);
      list.add(passed.contains(key) ? unchanged("promtool check web-config")
          : new Invocation("promtool check web-config", Tool.PROMTOOL, webConfigs.get(0),
              concat(List.of("check", "web-config"), webConfigs), List.of(key), "", Map.of()));
    }
    if (files.containsKey(TreeLayout.ALERTMANAGER_CONFIG)) {
      whole(list, "amtool check-config", Tool.AMTOOL, TreeLayout.ALERTMANAGER_CONFIG,
          List.of("check-config", TreeLayout.ALERTMANAGER_CONFIG), files.get(TreeLayout.ALERTMANAGER_CONFIG) + listing);
    }
    if (files.containsKey(TreeLayout.COMPOSE)) {
      whole(list, "docker-compose config", Tool.DOCKER_COMPOSE, TreeLayout.COMPOSE,
          List.of("-f", TreeLayout.COMPOSE, "config", "-q"), files.get(TreeLayout.COMPOSE) + listing);
    }
    return list;
  }

  private void whole(List<Object> list, String name, Tool tool, String file, List<String> args, String inputs) {
    String key = key(name, file, inputs);
    list.add(passed.contains(key) ? unchanged(name)
        : new Invocation(name, tool, file, args, List.of(key), "", Map.of()));
  }

  /** promtool test rules on the cases that did not pass with these inputs before (all of them the first time). */
  private Optional<Object> testRules(ParsedTree parsed, Map<String, String> files, List<String> tests) {
    String name = "promtool test rules";
    List<String> run = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    Map<String, String> scratch = new TreeMap<>();
    int all = 0;
    int pendingCases = 0;
    String allRules = files(parsed.tree(), TreeLayout.RULES).stream().map(r -> r + "\n" + files.get(r))
        .reduce("", String::concat);
    for (String t : tests) {
      Optional<RuleTestParts> cut = Optional.ofNullable(parsed.docs().get(t))
          .flatMap(doc -> RuleTestParts.of(t, files.get(t), doc, parsed));
      if (cut.isEmpty()) {
        String key = key(name, t, files.get(t) + allRules);
        all++;
        if (!passed.contains(key)) {
          run.add(t);
          keys.add(key);
          pendingCases++;
        }
        continue;
      }
      List<RuleTestParts.Part> parts = cut.get().parts();
      List<RuleTestParts.Part> pending = parts.stream().filter(p -> !passed.contains(p.key())).toList();
      all += parts.stream().mapToInt(p -> p.cases().size()).sum();
      pendingCases += pending.stream().mapToInt(p -> p.cases().size()).sum();
      if (pending.isEmpty()) {
        continue;
      }
      run.add(t);
      pending.forEach(p -> keys.add(p.key()));
      if (pending.size() < parts.size()) {
        // in a folder of its own with the same layout, so the tests' relative rule_files find the cut rules
        cut.get().keeping(java.util.Set.copyOf(pending), false).forEach((rel, text) -> scratch.put(CUT + rel, text));
        run.set(run.size() - 1, CUT + t);
      }
    }
    if (run.isEmpty()) {
      return Optional.of(unchanged(name));
    }
    return Optional.of(new Invocation(name, Tool.PROMTOOL, run.get(0).replaceFirst("^" + CUT, ""),
        concat(List.of("test", "rules"), run),
        keys, of(pendingCases, all, "case"), scratch));
  }

  /** Where cut rule tests go in the scratch copy; promtool's output names them without it. */
  private static final String CUT = ".cut/";

  private static String of(int pending, int all, String what) {
    return pending == all ? "" : pending + " of " + all + " " + what + "s (the others passed before, unchanged)";
  }

  private static Outcome unchanged(String name) {
    return new Outcome(CheckResult.passed(name, "not run: its files passed it before, unchanged"), List.of());
  }

  private static String key(String name, String file, String inputs) {
    return Digests.sha256Hex(name + "\n" + file + "\n" + inputs);
  }

  private Outcome run(Invocation inv, Path scratch, ParsedTree tree) throws InterruptedException {
    ToolRun result = runner.run(inv.tool(), scratch, inv.args());
    if (result instanceof ToolRun.Unavailable u) {
      String detail = "did not run: " + u.reason() + " (hint: " + u.hint() + ")";
      return new Outcome(CheckResult.skipped(inv.name(), detail), List.of());
    }
    ToolRun.Done done = (ToolRun.Done) result;
    done = new ToolRun.Done(done.exitCode(), done.output().replace(CUT, ""), done.via());
    List<Problem> problems = new ArrayList<>(ToolOutput.problems(done.output(), tree, inv.file(), inv.name()));
    if (done.exitCode() != 0 && problems.isEmpty()) {
      problems.add(Problem.error(tree.display(inv.file()), 0, 0, "",
          inv.name() + " failed (exit " + done.exitCode() + "): " + done.output().trim().replaceAll("\\s+", " "), null));
    }
    if (inv.name().equals("promtool check config")) {
      ruleFilesLoaded(done.output(), tree).ifPresent(problems::add);
    }
    String via = "ran " + done.via() + (inv.of().isEmpty() ? "" : " on " + inv.of());
    return new Outcome(problems.isEmpty() ? CheckResult.passed(inv.name(), via)
        : CheckResult.failed(inv.name(), via + ": " + problems.size() + " problem(s)"), problems);
  }

  /** promtool says how many rule files rule_files matched; they must be the rules of the folder. */
  private static Optional<Problem> ruleFilesLoaded(String output, ParsedTree tree) {
    int expected = files(tree.tree(), TreeLayout.RULES).size();
    Matcher m = RULE_FILES_FOUND.matcher(output);
    boolean counted = m.find();
    if (!counted && !output.contains("valid prometheus config file syntax")) {
      return Optional.empty(); // the config itself did not load; promtool said why
    }
    int found = counted ? Integer.parseInt(m.group(1)) : 0;
    if (found == expected) {
      return Optional.empty();
    }
    return Optional.of(Problem.error(tree.display(TreeLayout.PROMETHEUS_CONFIG), 0, 0, "rule_files",
        "rule_files match " + found + " file(s) but " + TreeLayout.RULES + " holds " + expected
            + ", so Prometheus would not load all rules",
        "point rule_files at the mounted rules folder, e.g. /etc/prometheus/rules/*.yml"));
  }

  private static List<String> files(RenderedTree tree, String folder) {
    return tree.files().keySet().stream()
        .filter(f -> f.startsWith(folder) && (f.endsWith(".yml") || f.endsWith(".yaml"))).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
