package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.render.RenderedTree;
import io.keikomon.validate.CheckResult;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
