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
  /** What each promtool test rules process saw: the test files it was given, and the rule files beside them. */
  final Map<String, String> testFilesSeen = Collections.synchronizedMap(new TreeMap<>());
  final Map<String, String> alertRulesSeen = Collections.synchronizedMap(new TreeMap<>());
  final LocalOracleRunner real = new LocalOracleRunner(Map.of("PATH", System.getenv("PATH")));
  final OracleRunner recordingRealTools = (tool, dir, args) -> {
    ran.add(tool.command() + " " + String.join(" ", args));
    if (args.get(0).equals("test")) {
      try {
        for (String file : args.subList(2, args.size())) {
          testFilesSeen.put(file, Files.readString(dir.resolve(file)));
          alertRulesSeen.put(file, Files.readString(dir.resolve(file).resolveSibling("../rules/alerts.yml")
              .normalize()));
        }
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
    testFilesSeen.clear();
    alertRulesSeen.clear();

    ParsedTree after = rendered("version: 1\nalerts:\n  service_down: {for: 3m}\n");
    List<OracleChecks.Outcome> outcomes = new OracleChecks(recordingRealTools, passed).run(after);

    assertTrue(ran.remove("promtool check rules " + ALERTS), ran.toString());
    assertTrue(!ran.isEmpty() && ran.size() <= Runtime.getRuntime().availableProcessors()
        && ran.stream().allMatch(r -> r.startsWith("promtool test rules .cut/")), ran.toString());
    CheckResult test = outcomes.stream().filter(o -> o.check().name().equals("promtool test rules")).findFirst()
        .orElseThrow().check();
    assertEquals(CheckResult.Status.PASSED, test.status(), test.toString());
    assertTrue(test.detail().matches("ran .* on \\d+ of \\d+ cases \\(the others passed before, unchanged\\)"),
        test.detail());
    String full = after.tree().text(TESTS).orElseThrow();
    String allCases = String.join("\n", testFilesSeen.values());
    testFilesSeen.forEach((file, cut) -> assertEquals(full.split("\n", -1).length, cut.split("\n", -1).length,
        file + ": blanked, not removed: lines stay"));
    assertTrue(allCases.contains("alertname: KeikoBackendDown"), allCases);
    assertTrue(!allCases.contains("alertname: HostHighCpuUsage"), allCases);
    assertTrue(!allCases.contains("promql_expr_test"), "the recording rules' tests read no alert: " + allCases);
    testFilesSeen.forEach((file, cut) -> {
      String rules = alertRulesSeen.get(file);
      assertEquals(after.tree().text(ALERTS).orElseThrow().split("\n", -1).length, rules.split("\n", -1).length);
      // each part loads the alerting rules its cases test, and no other
      java.util.Set<String> tested = new java.util.TreeSet<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("alertname: (\\w+)").matcher(cut);
      while (m.find()) {
        tested.add(m.group(1));
      }
      java.util.Set<String> loaded = new java.util.TreeSet<>();
      m = java.util.regex.Pattern.compile("alert: (\\w+)").matcher(rules);
      while (m.find()) {
        loaded.add(m.group(1));
      }
      assertEquals(tested, loaded, file);
    });
    assertEquals(List.of("promtool check config", "promtool check rules", "promtool test rules",
        "amtool check-config", "docker-compose config"), outcomes.stream().map(o -> o.check().name()).toList());
  }

  @Test
  void anUnchangedTreeRunsNoOracleAndWithoutMemoryEverythingRuns() throws Exception {
    ParsedTree tree = rendered("version: 1\n");
    OracleRunner passing = (tool, dir, args) -> {
      ran.add(tool.command() + " " + args.get(0));
      return new ToolRun.Done(0, "SUCCESS: 2 rule files found", "stub");
    };
    Set<String> everyOracle = Set.of("promtool check", "promtool test", "amtool check-config", "docker-compose -f");
    new OracleChecks(passing, passed).run(tree);
    assertEquals(everyOracle, Set.copyOf(ran));
    ran.clear();

    List<OracleChecks.Outcome> again = new OracleChecks(passing, passed).run(tree);

    assertEquals(List.of(), ran);
    assertTrue(again.stream().allMatch(o -> o.check().status() == CheckResult.Status.PASSED
        && o.check().detail().equals("not run: its files passed it before, unchanged")), again.toString());

    new OracleChecks(passing).run(tree);
    assertEquals(everyOracle, Set.copyOf(ran), "keiko-mon validate remembers nothing and runs every oracle");
  }

  @Test
  void aFailedRunIsNotRemembered() throws Exception {
    ParsedTree tree = rendered("version: 1\n");
    new OracleChecks((tool, dir, args) -> new ToolRun.Done(1, "FAILED: broken\n", "stub"), passed).run(tree);
    assertEquals(Set.of(), memory);
  }
}
