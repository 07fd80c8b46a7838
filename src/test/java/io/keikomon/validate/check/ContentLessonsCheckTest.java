package io.keikomon.validate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import io.keikomon.testing.Tool;
import io.keikomon.validate.tree.ParsedTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hiding-fallback and inhibition-label checks: one fault each, positioned, and quiet on the shipped default. */
class ContentLessonsCheckTest {
  private static List<String> run(TreeCheck check, Map<String, String> files) {
    return check.check(ParsedTree.parse(new RenderedTree(files), "monitoring")).stream().map(Problem::render).toList();
  }

  private static final String RULES = """
      groups:
        - name: backend
          rules:
            - record: job:http_5xx:ratio_rate5m
              expr: sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))
                or sum by (job) (rate(http_requests_total[5m])) * 0
            - alert: BackendDown
              expr: up{job="backend"} == 0
              labels: {severity: critical, service: backend}
            - alert: HighErrorRate
              expr: sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) > 1 or vector(0)
              labels: {severity: warning}
      """;

  @Test
  void aFallbackThatHidesMissingDataIsAWarningAtTheOr() throws Exception {
    List<String> p = run(new FallbackCheck(), Map.of("prometheus/rules/alerts.yml", RULES));
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("monitoring/prometheus/rules/alerts.yml:6:11: warning: groups[0].rules[0].expr:"
        + " recording rule \"job:http_5xx:ratio_rate5m\": `or sum by (job) (rate(http_requests_total[5m])) * 0`"
        + " turns \"no series\""), p.get(0));
    assertTrue(p.get(0).contains("(hint: drop the fallback"), p.get(0));
    assertTrue(p.get(1).contains("rule \"HighErrorRate\": `or vector(0)`"), p.get(1));
  }

  @Test
  void theOracleAgreesTheRulesAreValidPromqlSoOnlyThisCheckSeesTheProblem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("alerts.yml");
    Files.writeString(f, RULES);
    Tool promtool = Tool.run(dir, "promtool", "check", "rules", f.toString());
    assertEquals(0, promtool.exitCode(), promtool.toString());
    // and the hiding is real: a backend that exports `code`, not `status`, at 50 % errors records a clean 0
    Files.writeString(dir.resolve("test.yml"), """
        rule_files: [alerts.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - {series: 'http_requests_total{job="backend", code="500"}', values: '0+60x10'}
              - {series: 'http_requests_total{job="backend", code="200"}', values: '0+60x10'}
            promql_expr_test:
              - expr: job:http_5xx:ratio_rate5m
                eval_time: 10m
                exp_samples: [{labels: 'job:http_5xx:ratio_rate5m{job="backend"}', value: 0}]
        """);
    Tool test = Tool.run(dir, "promtool", "test", "rules", dir.resolve("test.yml").toString());
    assertEquals(0, test.exitCode(), test.toString());
  }

  @Test
  void aGuardedRatioWithoutFallbackPasses() {
    assertEquals(List.of(), run(new FallbackCheck(), Map.of("prometheus/rules/alerts.yml", """
        groups:
          - name: g
            rules:
              - alert: A
                expr: (sum(rate(x_total{code=~"5.."}[5m])) or sum(rate(x_total[5m])) * 0.5) > 1 and on() vector(1)
        """)));
  }

  private static final String INHIBITED = """
      inhibit_rules:
        - source_matchers: ['alertname="BackendDown"']
          target_matchers: ['alertname="HighErrorRate"']
          equal: [project, instance]
      """;

  @Test
  void anEqualLabelOneSideNeverCarriesIsAnErrorAtTheLabel() {
    List<String> p = run(new InhibitionLabelsCheck(), Map.of(
        "prometheus/prometheus.yml", "global:\n  external_labels: {project: keiko}\n",
        "prometheus/rules/alerts.yml", RULES,
        "alertmanager/alertmanager.yml", INHIBITED));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("monitoring/alertmanager/alertmanager.yml:4:22: inhibit_rules[0].equal: equal"
        + " label instance: the target alerts [HighErrorRate] never carry it (their expressions keep only"
        + " [service] plus their static labels) while the source alert BackendDown does"), p.get(0));
    assertTrue(p.get(0).contains("(hint: drop instance from equal"), p.get(0));
  }

  @Test
  void labelsBothSidesCarryPass() {
    assertEquals(List.of(), run(new InhibitionLabelsCheck(), Map.of(
        "prometheus/rules/alerts.yml", RULES,
        "alertmanager/alertmanager.yml", INHIBITED.replace("[project, instance]", "[service]"))));
  }

  @Test
  void theShippedDefaultHasNeitherProblem() throws Exception {
    Path golden = Path.of("src/test/resources/golden/default");
    Map<String, String> files = new java.util.TreeMap<>();
    try (var walk = Files.walk(golden)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(golden.relativize(p).toString().replace('\\', '/'), Files.readString(p));
      }
    }
    assertEquals(List.of(), run(new FallbackCheck(), files));
    assertEquals(List.of(), run(new InhibitionLabelsCheck(), files));
  }
}
