package io.keikomon.validate.oracle;

import io.keikomon.config.Problem;
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

  public OracleChecks(OracleRunner runner) {
    this.runner = runner;
  }

  /** One oracle's verdict and the problems it reported. */
  public record Outcome(CheckResult check, List<Problem> problems) {
    public Outcome {
      problems = List.copyOf(problems);
    }
  }

  private record Invocation(String name, Tool tool, String file, List<String> args) {}

  public List<Outcome> run(ParsedTree parsed) throws IOException, InterruptedException {
    RenderedTree tree = parsed.tree();
    List<Invocation> invocations = invocations(tree);
    if (invocations.isEmpty()) {
      return List.of();
    }
    ContainerPaths paths = ContainerPaths.of(parsed);
    Path scratch = Files.createTempDirectory("keiko-validate");
    try {
      Map<String, String> files = new TreeMap<>(tree.files());
      files.replaceAll(paths::rewrite);
      TreeFiles.write(new RenderedTree(files), scratch);
      // the tools are independent and mostly wait (promtool test rules takes seconds): run them side by side
      ExecutorService pool = Executors.newFixedThreadPool(
          Math.min(invocations.size(), Math.max(2, Runtime.getRuntime().availableProcessors())));
      try {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Invocation inv : invocations) {
          futures.add(pool.submit(() -> run(inv, scratch, parsed)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
          outcomes.add(result(f));
        }
        return outcomes;
      } finally {
        pool.shutdownNow();
      }
    } finally {
      deleteRecursively(scratch);
    }
  }

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

  private static List<Invocation> invocations(RenderedTree tree) {
    List<Invocation> list = new ArrayList<>();
    List<String> rules = files(tree, TreeLayout.RULES);
    List<String> tests = files(tree, TreeLayout.RULE_TESTS);
    if (tree.files().containsKey(TreeLayout.PROMETHEUS_CONFIG)) {
      list.add(new Invocation("promtool check config", Tool.PROMTOOL, TreeLayout.PROMETHEUS_CONFIG,
          List.of("check", "config", TreeLayout.PROMETHEUS_CONFIG)));
    }
    if (!rules.isEmpty()) {
      list.add(new Invocation("promtool check rules", Tool.PROMTOOL, rules.get(0),
          concat(List.of("check", "rules"), rules)));
    }
    if (!tests.isEmpty()) {
      list.add(new Invocation("promtool test rules", Tool.PROMTOOL, tests.get(0),
          concat(List.of("test", "rules"), tests)));
    }
    if (tree.files().containsKey(TreeLayout.ALERTMANAGER_CONFIG)) {
      list.add(new Invocation("amtool check-config", Tool.AMTOOL, TreeLayout.ALERTMANAGER_CONFIG,
          List.of("check-config", TreeLayout.ALERTMANAGER_CONFIG)));
    }
    if (tree.files().containsKey(TreeLayout.COMPOSE)) {
      list.add(new Invocation("docker-compose config", Tool.DOCKER_COMPOSE, TreeLayout.COMPOSE,
          List.of("-f", TreeLayout.COMPOSE, "config", "-q")));
    }
    return list;
  }

  private Outcome run(Invocation inv, Path scratch, ParsedTree tree) throws InterruptedException {
    ToolRun result = runner.run(inv.tool(), scratch, inv.args());
    if (result instanceof ToolRun.Unavailable u) {
      String detail = "did not run: " + u.reason() + " (hint: " + u.hint() + ")";
      return new Outcome(CheckResult.skipped(inv.name(), detail), List.of());
    }
    ToolRun.Done done = (ToolRun.Done) result;
    List<Problem> problems = new ArrayList<>(ToolOutput.problems(done.output(), tree, inv.file(), inv.name()));
    if (done.exitCode() != 0 && problems.isEmpty()) {
      problems.add(Problem.error(tree.display(inv.file()), 0, 0, "",
          inv.name() + " failed (exit " + done.exitCode() + "): " + done.output().trim().replaceAll("\\s+", " "), null));
    }
    if (inv.name().equals("promtool check config")) {
      ruleFilesLoaded(done.output(), tree).ifPresent(problems::add);
    }
    String via = "ran " + done.via();
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
