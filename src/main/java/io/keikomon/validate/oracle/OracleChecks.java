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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
      // the tools are independent: run them all at once, so no core idles while one is left waiting in a queue
      // (a bounded pool queued amtool and docker-compose behind the rule tests' shards)
      ExecutorService pool = Executors.newFixedThreadPool(invocations.size());
      try {
        List<Future<Ran>> futures = new ArrayList<>();
        for (Invocation inv : invocations) {
          futures.add(pool.submit(() -> run(inv, scratch, parsed)));
        }
        // a check run as several processes (rule tests in shards) is one outcome
        Map<String, List<Ran>> byCheck = new LinkedHashMap<>();
        for (Future<Ran> f : futures) {
          Ran ran = result(f);
          byCheck.computeIfAbsent(ran.inv().name(), x -> new ArrayList<>()).add(ran);
        }
        List<String> proven = new ArrayList<>();
        byCheck.values().forEach(runs -> {
          outcomes.add(outcome(runs));
          runs.stream().filter(Ran::passed).forEach(r -> proven.addAll(r.inv().keys()));
        });
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

  private static Ran result(Future<Ran> f) throws InterruptedException {
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
      list.addAll(testRules(parsed, files, tests));
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

  /**
   * What one file argument of promtool test rules runs: {@code file} in the scratch copy, the keys it proves,
   * an estimate of promtool's time for it, and the scratch files it needs.
   */
  private record Unit(String file, String key, long cost, Map<String, String> scratch) {}

  /**
   * How much estimated promtool time (µs) makes more processes worth it: each costs about 0.12 s of CPU to start,
   * and on a machine of few cores the other oracles and validate's own checks want them too, so below about a
   * second of work one process finishes first (see docs/benchmarks.md).
   */
  static final long SHARD_FROM_US = 1_000_000;

  /** A file that cannot be cut runs whole; its cost is unknown, so it counts as enough to shard. */
  private static final long WHOLE_FILE_COST = SHARD_FROM_US;

  /**
   * promtool test rules on the cases that did not pass with these inputs before (all of them the first time),
   * each part of a file in a folder of its own under {@link #CUT} with the rules it sees, spread over as many
   * promtool processes as there are processors when there is enough work for them.
   */
  private List<Object> testRules(ParsedTree parsed, Map<String, String> files, List<String> tests) {
    String name = "promtool test rules";
    List<Unit> units = new ArrayList<>();
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
          units.add(new Unit(t, key, WHOLE_FILE_COST, Map.of()));
          pendingCases++;
        }
        continue;
      }
      List<RuleTestParts.Part> parts = cut.get().parts();
      List<RuleTestParts.Part> pending = parts.stream().filter(p -> !passed.contains(p.key())).toList();
      all += parts.stream().mapToInt(p -> p.cases().size()).sum();
      pendingCases += pending.stream().mapToInt(p -> p.cases().size()).sum();
      // when none passed before, every case runs against every rule, as the whole file does
      boolean allRulesLoaded = pending.size() == parts.size();
      for (RuleTestParts.Part p : pending) {
        // in a folder of its own with the same layout, so the tests' relative rule_files find the cut rules
        String dir = CUT + units.size() + "/";
        Map<String, String> scratch = new TreeMap<>();
        cut.get().keeping(Set.of(p), allRulesLoaded).forEach((rel, text) -> scratch.put(dir + rel, text));
        units.add(new Unit(dir + t, p.key(), cut.get().cost(p, allRulesLoaded), scratch));
      }
    }
    if (units.isEmpty()) {
      return List.of(unchanged(name));
    }
    int processes = units.stream().mapToLong(Unit::cost).sum() < SHARD_FROM_US ? 1
        : Math.min(units.size(), Runtime.getRuntime().availableProcessors());
    String of = of(pendingCases, all, "case");
    List<Object> shards = new ArrayList<>();
    for (List<Unit> shard : shards(units, processes)) {
      Map<String, String> scratch = new TreeMap<>();
      shard.forEach(u -> scratch.putAll(u.scratch()));
      shards.add(new Invocation(name, Tool.PROMTOOL, CUT_FOLDER.matcher(shard.get(0).file()).replaceFirst(""),
          concat(List.of("test", "rules"), shard.stream().map(Unit::file).toList()),
          shard.stream().map(Unit::key).toList(), of, scratch));
    }
    return shards;
  }

  /**
   * {@code units} spread over at most {@code n} shards of about the same estimated time (the costliest first, each
   * to the shard with the least so far), each in the original order.
   */
  private static List<List<Unit>> shards(List<Unit> units, int n) {
    List<Integer> byCost = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      byCost.add(i);
    }
    byCost.sort(Comparator.comparingLong((Integer i) -> units.get(i).cost()).reversed());
    long[] load = new long[n];
    List<SortedSet<Integer>> shards = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      shards.add(new TreeSet<>());
    }
    for (int i : byCost) {
      int least = 0;
      for (int s = 1; s < n; s++) {
        least = load[s] < load[least] ? s : least;
      }
      load[least] += units.get(i).cost();
      shards.get(least).add(i);
    }
    return shards.stream().filter(s -> !s.isEmpty()).map(s -> s.stream().map(units::get).toList()).toList();
  }

  /** Where cut rule tests go in the scratch copy, one folder per part; promtool's output names them without it. */
  private static final String CUT = ".cut/";
  private static final Pattern CUT_FOLDER = Pattern.compile(Pattern.quote(CUT) + "\\d+/");

  private static String of(int pending, int all, String what) {
    return pending == all ? "" : pending + " of " + all + " " + what + "s (the others passed before, unchanged)";
  }

  private static Outcome unchanged(String name) {
    return new Outcome(CheckResult.passed(name, "not run: its files passed it before, unchanged"), List.of());
  }

  private static String key(String name, String file, String inputs) {
    return Digests.sha256Hex(name + "\n" + file + "\n" + inputs);
  }

  /** One process of a check: what it ran, what happened, and the problems it reported. */
  private record Ran(Invocation inv, ToolRun run, List<Problem> problems) {
    boolean passed() {
      return run instanceof ToolRun.Done && problems.isEmpty();
    }
  }

  private Ran run(Invocation inv, Path scratch, ParsedTree tree) throws InterruptedException {
    ToolRun result = runner.run(inv.tool(), scratch, inv.args());
    if (!(result instanceof ToolRun.Done done)) {
      return new Ran(inv, result, List.of());
    }
    done = new ToolRun.Done(done.exitCode(), CUT_FOLDER.matcher(done.output()).replaceAll(""), done.via());
    List<Problem> problems = new ArrayList<>(ToolOutput.problems(done.output(), tree, inv.file(), inv.name()));
    if (done.exitCode() != 0 && problems.isEmpty()) {
      problems.add(Problem.error(tree.display(inv.file()), 0, 0, "",
          inv.name() + " failed (exit " + done.exitCode() + "): " + done.output().trim().replaceAll("\\s+", " "), null));
    }
    if (inv.name().equals("promtool check config")) {
      ruleFilesLoaded(done.output(), tree).ifPresent(problems::add);
    }
    return new Ran(inv, done, problems);
  }

  /** The verdict of a check from its processes: failed if any reported a problem, else skipped if any could not run. */
  private static Outcome outcome(List<Ran> runs) {
    Invocation inv = runs.get(0).inv();
    List<Problem> problems = runs.stream().flatMap(r -> r.problems().stream()).toList();
    Optional<ToolRun.Unavailable> missing = runs.stream().map(Ran::run)
        .filter(ToolRun.Unavailable.class::isInstance).map(ToolRun.Unavailable.class::cast).findFirst();
    if (problems.isEmpty() && missing.isPresent()) {
      String detail = "did not run: " + missing.get().reason() + " (hint: " + missing.get().hint() + ")";
      return new Outcome(CheckResult.skipped(inv.name(), detail), List.of());
    }
    String via = runs.stream().map(Ran::run).filter(ToolRun.Done.class::isInstance)
        .map(r -> ((ToolRun.Done) r).via()).findFirst().orElse("");
    String ran = "ran " + via + (inv.of().isEmpty() ? "" : " on " + inv.of());
    return new Outcome(problems.isEmpty() ? CheckResult.passed(inv.name(), ran)
        : CheckResult.failed(inv.name(), ran + ": " + problems.size() + " problem(s)"), problems);
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
