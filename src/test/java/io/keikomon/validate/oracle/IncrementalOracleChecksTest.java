package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.CheckResult;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Oracle runs with a memory of those that passed: only what changed runs, and what runs is still a valid input. */
@Tag("oracle")
class IncrementalOracleChecksTest {
  static final String TESTS = "prometheus/tests/alerts.test.yml";
  static final String ALERTS = "prometheus/rules/alerts.yml";

  final Set<String> memory = Collections.synchronizedSet(new LinkedHashSet<>());
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
  final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> testFileSeen = Collections.synchronizedMap(new TreeMap<>());
  final LocalOracleRunner real = new LocalOracleRunner(Map.of("PATH", System.getenv("PATH")));
  final OracleRunner recordingRealTools = (tool, dir, args) -> {
    ran.add(tool.command() + " " + String.join(" ", args));
    if (args.get(0).equals("test")) {
      try {
        testFileSeen.put("text", Files.readString(dir.resolve(args.get(2))));
        testFileSeen.put("rules", Files.readString(dir.resolve(args.get(2)).resolveSibling("../rules/alerts.yml")
            .normalize()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return real.run(tool, dir, args);
  };

  /**
   * Security off: rendered in memory without the CA store, every render gets new throwaway certificates and hashes,
   * so the web configs would differ each time (a real render keeps them in monitoring/pki and they stay the same).
   */
  static ParsedTree rendered(String keikoYml) throws Exception {
    Workspace ws = TestWorkspaces.withConfig(keikoYml + "security: {auth: false, tls: false}\n");
    RenderedTree tree = Renderer.render(ConfigLoader.load(ws).config(),
        new Secrets(Optional.of("pw"), Optional.empty(), Optional.empty(), Optional.empty()), ws.templateOverrides());
    return ParsedTree.parse(tree, "monitoring");
  }

  @Test
  void aChangedAlertRunsOnlyItsCasesWithTheRealPromtoolAndTheLinesOfTheFile() throws Exception {
    ParsedTree before = rendered("version: 1\n");
    new OracleChecks(recordingRealTools, passed).run(before);
    ran.clear();

    ParsedTree after = rendered("version: 1\nalerts:\n  service_down: {for: 3m}\n");
    List<OracleChecks.Outcome> outcomes = new OracleChecks(recordingRealTools, passed).run(after);

    assertEquals(Set.of("promtool check rules " + ALERTS, "promtool test rules .cut/" + TESTS), Set.copyOf(ran));
    CheckResult test = outcomes.stream().filter(o -> o.check().name().equals("promtool test rules")).findFirst()
        .orElseThrow().check();
    assertEquals(CheckResult.Status.PASSED, test.status(), test.toString());
    assertTrue(test.detail().matches("ran .* on \\d+ of \\d+ cases \\(the others passed before, unchanged\\)"),
        test.detail());
    String cut = testFileSeen.get("text");
    String full = after.tree().text(TESTS).orElseThrow();
    assertEquals(full.split("\n", -1).length, cut.split("\n", -1).length, "blanked, not removed: lines stay");
    assertTrue(cut.contains("alertname: KeikoBackendDown"), cut);
    assertTrue(!cut.contains("alertname: HostHighCpuUsage"), cut);
    String rules = testFileSeen.get("rules");
    // Which other rules stay loaded depends on the cases kept (a promql_expr_test case needs every rule).
    assertTrue(rules.contains("alert: KeikoBackendDown"), rules);
    assertEquals(after.tree().text(ALERTS).orElseThrow().split("\n", -1).length, rules.split("\n", -1).length);
    assertEquals(List.of("promtool check config", "promtool check rules", "promtool test rules",
        "amtool check-config", "docker-compose config"), outcomes.stream().map(o -> o.check().name()).toList());
  }

  @Test
  void anUnchangedTreeRunsNoOracleAndWithoutMemoryEverythingRuns() throws Exception {
    ParsedTree tree = rendered("version: 1\n");
    OracleRunner passing = (tool, dir, args) -> {
      ran.add(tool.command());
      return new ToolRun.Done(0, "SUCCESS: 2 rule files found", "stub");
    };
    new OracleChecks(passing, passed).run(tree);
    assertEquals(5, ran.size());
    ran.clear();

    List<OracleChecks.Outcome> again = new OracleChecks(passing, passed).run(tree);

    assertEquals(List.of(), ran);
    assertTrue(again.stream().allMatch(o -> o.check().status() == CheckResult.Status.PASSED
        && o.check().detail().equals("not run: its files passed it before, unchanged")), again.toString());

    new OracleChecks(passing).run(tree);
    assertEquals(5, ran.size(), "keiko-mon validate remembers nothing and runs every oracle");
  }

  @Test
  void aFailedRunIsNotRemembered() throws Exception {
    ParsedTree tree = rendered("version: 1\n");
    new OracleChecks((tool, dir, args) -> new ToolRun.Done(1, "FAILED: broken\n", "stub"), passed).run(tree);
    assertEquals(Set.of(), memory);
  }
}
