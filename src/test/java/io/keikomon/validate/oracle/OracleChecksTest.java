package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.render.RenderedTree;
import io.keikomon.validate.CheckResult;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How oracle runs are planned and reported, with a stub runner standing in for the real tools. */
class OracleChecksTest {
  private final ParsedTree tree = ParsedTree.parse(new RenderedTree(Map.of(
      "prometheus/prometheus.yml", "rule_files: [/etc/prometheus/rules/*.yml]\n",
      "prometheus/rules/a.yml", "groups: []\n",
      "alertmanager/alertmanager.yml", "route: {receiver: r}\nreceivers: [{name: r}]\n")), "monitoring");

  @Test
  void missingToolsAreSkippedWithTheReasonAndHowToGetThem() throws Exception {
    List<OracleChecks.Outcome> outcomes = new OracleChecks(
        (tool, dir, args) -> new ToolRun.Unavailable(tool.command() + " is not on PATH", tool.install())).run(tree);
    assertEquals(List.of("promtool check config", "promtool check rules", "amtool check-config"),
        outcomes.stream().map(o -> o.check().name()).toList());
    CheckResult amtool = outcomes.get(2).check();
    assertEquals(CheckResult.Status.SKIPPED, amtool.status());
    assertEquals("did not run: amtool is not on PATH (hint: apt-get install prometheus-alertmanager)", amtool.detail());
  }

  @Test
  void toolsSeeContainerPathsRewrittenAndRelativeArguments() throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>()); // tools run in parallel
    new OracleChecks((tool, dir, args) -> {
      try {
        if (args.contains("config")) {
          seen.add(Files.readString(dir.resolve("prometheus/prometheus.yml")).strip());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      seen.add(tool.command() + " " + String.join(" ", args));
      return new ToolRun.Done(0, "SUCCESS: 1 rule files found", "stub");
    }).run(tree);
    assertEquals(java.util.Set.of("rule_files: [./rules/*.yml]", "promtool check config prometheus/prometheus.yml",
        "promtool check rules prometheus/rules/a.yml", "amtool check-config alertmanager/alertmanager.yml"),
        java.util.Set.copyOf(seen));
  }

  @Test
  void ruleFilesThatMatchNothingAreAnError() throws Exception {
    List<OracleChecks.Outcome> outcomes = new OracleChecks(
        (tool, dir, args) -> new ToolRun.Done(0,
            " SUCCESS: prometheus/prometheus.yml is valid prometheus config file syntax\n", "stub")).run(tree);
    CheckResult config = outcomes.get(0).check();
    assertEquals(CheckResult.Status.FAILED, config.status());
    assertTrue(outcomes.get(0).problems().get(0).render().startsWith("monitoring/prometheus/prometheus.yml:"
        + " rule_files: rule_files match 0 file(s) but prometheus/rules/ holds 1"),
        outcomes.get(0).problems().toString());
  }

  @Test
  void aFailingToolWithUnrecognisedOutputStillFailsWithItsOutput() throws Exception {
    List<OracleChecks.Outcome> outcomes = new OracleChecks(
        (tool, dir, args) -> new ToolRun.Done(2, "something odd\n", "stub")).run(tree);
    assertEquals(CheckResult.Status.FAILED, outcomes.get(2).check().status());
    assertEquals("monitoring/alertmanager/alertmanager.yml: amtool check-config failed (exit 2): something odd",
        outcomes.get(2).problems().get(0).render());
  }

  @Test
  void aConfigThatDoesNotLoadIsNotAlsoBlamedForItsRuleFiles() throws Exception {
    List<OracleChecks.Outcome> outcomes = new OracleChecks((tool, dir, args) -> new ToolRun.Done(1,
        "Checking prometheus/prometheus.yml\n  FAILED: parsing YAML file prometheus/prometheus.yml: yaml: line 2: x\n",
        "stub")).run(tree);
    assertEquals(List.of("monitoring/prometheus/prometheus.yml:2:1: promtool check config: parsing YAML file"
        + " prometheus/prometheus.yml: yaml: line 2: x"),
        outcomes.get(0).problems().stream().map(io.keikomon.config.Problem::render).toList());
  }

  /** A rule file of {@code n} alerts A0..An-1 and a test file with one case for each, evaluated until {@code last}. */
  static ParsedTree alertsAndTests(int n, String last) {
    StringBuilder rules = new StringBuilder("groups:\n  - name: g\n    rules:\n");
    StringBuilder tests = new StringBuilder("rule_files:\n  - ../rules/r.yml\ntests:\n");
    for (int i = 0; i < n; i++) {
      rules.append("      - alert: A").append(i).append("\n        expr: up{n=\"").append(i).append("\"} == 0\n");
      tests.append("  - interval: 1m\n    input_series:\n      - series: 'up{n=\"").append(i)
          .append("\"}'\n        values: '1x10'\n    alert_rule_test:\n      - eval_time: " + last + "\n        alertname: A")
          .append(i).append("\n        exp_alerts: []\n");
    }
    return ParsedTree.parse(new RenderedTree(Map.of("prometheus/rules/r.yml", rules.toString(),
        "prometheus/tests/t.yml", tests.toString())), "monitoring");
  }

  /** The test files each promtool test rules process was given; {@link #failedProcess} the one that failed. */
  final List<List<String>> testProcesses = Collections.synchronizedList(new ArrayList<>());
  final List<List<String>> failedProcess = Collections.synchronizedList(new ArrayList<>());

  /** Passes every tool, except that promtool test rules fails case A{@code failing} as promtool would. */
  OracleRunner promtoolFailing(int failing) {
    return (tool, dir, args) -> {
      if (!args.get(0).equals("test")) {
        return new ToolRun.Done(0, "SUCCESS\n", "stub");
      }
      List<String> given = List.copyOf(args.subList(2, args.size()));
      testProcesses.add(given);
      StringBuilder out = new StringBuilder();
      boolean failed = false;
      for (String file : given) {
        int at;
        try {
          at = Files.readAllLines(dir.resolve(file)).indexOf("        alertname: A" + failing) + 1;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        out.append("Unit Testing:  ").append(file).append('\n');
        out.append(at > 0 ? "  FAILED:\nyaml: line " + at + ": stub failure\n" : "  SUCCESS\n");
        failed |= at > 0;
      }
      if (failed) {
        failedProcess.add(given);
      }
      return new ToolRun.Done(failed ? 1 : 0, out.toString(), "stub");
    };
  }

  final Set<String> memory = Collections.synchronizedSet(new HashSet<>());
  final PassedRuns passed = new PassedRuns() {
    @Override
    public boolean contains(String key) {
      return memory.contains(key);
    }

    @Override
    public void addAll(Collection<String> keys) {
      memory.addAll(keys);
    }
  };

  static OracleChecks.Outcome testRules(List<OracleChecks.Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.check().name().equals("promtool test rules")).findFirst().orElseThrow();
  }

  @Test
  void ruleTestsRunInAProcessPerProcessorAsOneCheckWithTheLinesOfTheFile() throws Exception {
    ParsedTree tree = alertsAndTests(10, "24h"); // 1441 evaluations of 10 rules each: seconds of promtool

    OracleChecks.Outcome test = testRules(new OracleChecks(promtoolFailing(3), passed).run(tree));

    assertEquals(Math.min(10, Runtime.getRuntime().availableProcessors()), testProcesses.size(), testProcesses.toString());
    List<String> files = testProcesses.stream().flatMap(List::stream).toList();
    assertEquals(10, Set.copyOf(files).size(), "each case in a file of its own, each run once: " + files);
    assertEquals(CheckResult.Status.FAILED, test.check().status());
    assertEquals("ran stub: 1 problem(s)", test.check().detail());
    int line = List.of(tree.tree().text("prometheus/tests/t.yml").orElseThrow().split("\n"))
        .indexOf("        alertname: A3") + 1;
    assertEquals(List.of("monitoring/prometheus/tests/t.yml:" + line + ":1: promtool test rules: yaml: line " + line
        + ": stub failure"), test.problems().stream().map(io.keikomon.config.Problem::render).toList());

    // what the processes that passed ran is remembered: only the failed process' cases run again
    int failedCases = failedProcess.get(0).size();
    testProcesses.clear();
    OracleChecks.Outcome again = testRules(new OracleChecks(promtoolFailing(-1), passed).run(tree));
    assertEquals(failedCases, testProcesses.stream().mapToInt(List::size).sum(), testProcesses.toString());
    assertEquals(CheckResult.Status.PASSED, again.check().status());
    assertEquals(failedCases == 10 ? "ran stub" : "ran stub on " + failedCases + " of 10 cases (the others passed"
        + " before, unchanged)", again.check().detail());
  }

  @Test
  void casesOfLittleWorkRunInOneProcess() throws Exception {
    ParsedTree tree = alertsAndTests(10, "5m");
    new OracleChecks(promtoolFailing(-1), passed).run(tree);
    assertEquals(1, testProcesses.size(), testProcesses.toString());
  }

  @Test
  void aProcessThatCouldNotRunMakesTheCheckSkippedNotPassed() throws Exception {
    ParsedTree tree = alertsAndTests(10, "24h");
    OracleRunner firstTestProcessTimesOut = (tool, dir, args) -> {
      if (args.get(0).equals("test") && testProcesses.isEmpty()) {
        testProcesses.add(args);
        return new ToolRun.Unavailable("promtool did not finish within 120 s", "run it by hand");
      }
      return promtoolFailing(-1).run(tool, dir, args);
    };
    OracleChecks.Outcome test = testRules(new OracleChecks(firstTestProcessTimesOut, passed).run(tree));
    assertEquals(CheckResult.skipped("promtool test rules",
        "did not run: promtool did not finish within 120 s (hint: run it by hand)"), test.check());
  }
}
