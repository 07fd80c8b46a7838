package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import io.keikomon.validate.tree.ParsedTree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output recorded from promtool 2.42 and amtool 0.25 (Debian 12), turned into problems. */
class ToolOutputTest {
  private final ParsedTree tree = ParsedTree.parse(new RenderedTree(Map.of(
      "prometheus/prometheus.yml", "", "prometheus/rules/a.yml", "", "prometheus/rules/b.yml", "",
      "prometheus/tests/t.yml", "", "alertmanager/alertmanager.yml", "")), "monitoring");

  private List<String> parse(String output, String fallback, String tool) {
    return ToolOutput.problems(output, tree, fallback, tool).stream().map(Problem::render).toList();
  }

  @Test
  void checkRulesPositionsComeFromTheMessage() {
    String out = """
        Checking prometheus/rules/a.yml
          FAILED:
        prometheus/rules/a.yml: 5:15: group "g", rule 1, "Broken": could not parse expression: 1:18: parse error: unclosed left parenthesis

        Checking prometheus/rules/b.yml
          SUCCESS: 1 rules found

        """;
    assertEquals(List.of("monitoring/prometheus/rules/a.yml:5:15: promtool check rules: group \"g\", rule 1,"
        + " \"Broken\": could not parse expression: 1:18: parse error: unclosed left parenthesis"),
        parse(out, "prometheus/rules/a.yml", "promtool check rules"));
  }

  @Test
  void checkConfigYamlErrorsKeepTheirLine() {
    String out = """
        Checking prometheus/prometheus.yml
          FAILED: parsing YAML file prometheus/prometheus.yml: yaml: unmarshal errors:
          line 3: field foo not found in type config.plain
        """;
    assertEquals(List.of("monitoring/prometheus/prometheus.yml:3:1: promtool check config: parsing YAML file"
        + " prometheus/prometheus.yml: yaml: unmarshal errors: line 3: field foo not found in type config.plain"),
        parse(out, "prometheus/prometheus.yml", "promtool check config"));
  }

  @Test
  void unitTestFailuresAreOneProblemOnTheTestFile() {
    String out = """
        Unit Testing:  prometheus/tests/t.yml
          FAILED:
            alertname: Fine, time: 5m,
                exp:[],
                got:[
                    0:
                      Labels:{alertname="Fine", job="p", severity="critical"}
                      Annotations:{}
                    ]

        """;
    assertEquals(List.of("monitoring/prometheus/tests/t.yml: promtool test rules: alertname: Fine, time: 5m, exp:[],"
        + " got:[ 0: Labels:{alertname=\"Fine\", job=\"p\", severity=\"critical\"} Annotations:{} ]"),
        parse(out, "prometheus/tests/t.yml", "promtool test rules"));
  }

  @Test
  void amtoolFailuresOnTheCheckingLine() {
    String out = """
        Checking 'alertmanager/alertmanager.yml'  FAILED: yaml: line 1: did not find expected ',' or '}'

        amtool: error: failed to validate 1 file(s)
        """;
    assertEquals(List.of("monitoring/alertmanager/alertmanager.yml:1:1: amtool check-config: yaml: line 1: did not"
        + " find expected ',' or '}'"), parse(out, "alertmanager/alertmanager.yml", "amtool check-config"));
  }

  @Test
  void successIsNoProblem() {
    assertEquals(List.of(), parse("Checking 'alertmanager/alertmanager.yml'  SUCCESS\nFound:\n - global config\n",
        "alertmanager/alertmanager.yml", "amtool check-config"));
  }
}
