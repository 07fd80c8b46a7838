package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.render.RenderedTree;
import io.keikomon.validate.tree.ParsedTree;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which rules each rule-test case can see: a part's key must change whenever its cases' results could, and the cut
 * a part runs from must load every rule its cases see, on the lines the folder has them.
 */
class RuleTestPartsTest {
  static final String TESTS = "prometheus/tests/t.yml";
  static final String RECORDING = "prometheus/rules/recording.yml";
  static final String ALERTS = "prometheus/rules/alerts.yml";

  static final String RECORDING_RULES = """
      groups:
        - name: requests
          rules:
            - record: job:requests:rate5m
              expr: sum by (job) (rate(requests_total[5m]))
            - record: job:errors:ratio_rate5m
              expr: sum by (job) (rate(errors_total[5m])) / job:requests:rate5m
        - name: memory
          rules:
            - record: job:memory:max
              expr: max by (job) (memory_bytes)
      """;
  static final String ALERT_RULES = """
      groups:
        - name: alerts
          rules:
            - alert: HighErrors
              expr: job:errors:ratio_rate5m > 0.1
              for: 5m
            - alert: Down
              expr: up == 0
              for: 1m
      """;
  /** Case 0 tests Down, 1 HighErrors, 2 an expression on a recording rule, 3 an expression on an input series. */
  static final String TEST_FILE = """
      rule_files:
        - ../rules/recording.yml
        - ../rules/alerts.yml
      evaluation_interval: 1m
      tests:
        - interval: 1m
          input_series:
            - series: 'up{job="a"}'
              values: '0x10'
          alert_rule_test:
            - eval_time: 5m
              alertname: Down
              exp_alerts:
                - exp_labels: {job: a}
        - interval: 1m
          input_series:
            - series: 'requests_total{job="a"}'
              values: '0+10x10'
          alert_rule_test:
            - eval_time: 10m
              alertname: HighErrors
              exp_alerts: []
        - interval: 1m
          input_series:
            - series: 'requests_total{job="a"}'
              values: '0+60x10'
          promql_expr_test:
            - expr: 'job:errors:ratio_rate5m'
              eval_time: 10m
              exp_samples: []
        - interval: 1m
          input_series:
            - series: 'memory_bytes{job="a"}'
              values: '1x10'
          promql_expr_test:
            - expr: 'memory_bytes'
              eval_time: 1m
              exp_samples:
                - labels: 'memory_bytes{job="a"}'
                  value: 1
      """;

  static Map<String, String> files(String recording, String alerts, String tests) {
    return new TreeMap<>(Map.of(RECORDING, recording, ALERTS, alerts, TESTS, tests));
  }

  static RuleTestParts cut(Map<String, String> files) {
    ParsedTree tree = ParsedTree.parse(new RenderedTree(files), "monitoring");
    return RuleTestParts.of(TESTS, files.get(TESTS), tree.docs().get(TESTS), tree).orElseThrow();
  }

  /** The key of the part holding each case, by case index. */
  static String[] keys(Map<String, String> files) {
    RuleTestParts parts = cut(files);
    String[] keys = new String[4];
    parts.parts().forEach(p -> p.cases().forEach(i -> keys[i] = p.key()));
    return keys;
  }

  static String[] keysWith(String recording, String alerts) {
    return keys(files(recording, alerts, TEST_FILE));
  }

  /** Which of the four cases' keys differ between {@code a} and {@code b}. */
  static List<Integer> changed(String[] a, String[] b) {
    return java.util.stream.IntStream.range(0, 4).filter(i -> !a[i].equals(b[i])).boxed().toList();
  }

  final String[] before = keysWith(RECORDING_RULES, ALERT_RULES);

  @Test
  void anAlertThresholdChangesOnlyTheKeysOfThatAlertsCases() {
    String[] after = keysWith(RECORDING_RULES, ALERT_RULES.replace("for: 1m", "for: 2m"));
    assertEquals(List.of(0), changed(before, after), "the expression tests read recording rules, not alerts");
  }

  @Test
  void aRecordingRuleChangesTheKeysOfEveryCaseThatReadsItEvenThroughAnotherRuleOrAnAlert() {
    String[] after = keysWith(RECORDING_RULES.replace("rate(requests_total[5m])", "rate(requests_total[10m])"),
        ALERT_RULES);
    // job:errors:ratio_rate5m reads job:requests:rate5m; HighErrors and case 2 read job:errors:ratio_rate5m
    assertEquals(List.of(1, 2), changed(before, after));
  }

  @Test
  void aRecordingRuleNobodyReadsChangesNoKey() {
    String[] after = keysWith(RECORDING_RULES.replace("max by (job) (memory_bytes)", "min by (job) (memory_bytes)"),
        ALERT_RULES);
    assertEquals(List.of(), changed(before, after), "case 3 reads the input memory_bytes, not job:memory:max");
  }

  @Test
  void theSettingsOfAGroupWhoseRulesACaseSeesArePartOfItsKey() {
    String[] after = keysWith(RECORDING_RULES.replace("- name: requests\n", "- name: requests\n    interval: 2m\n"),
        ALERT_RULES);
    assertEquals(List.of(1, 2), changed(before, after));
  }

  @Test
  void aRecordingRuleThatStartsWritingWhatACaseReadsChangesItsKey() {
    String[] after = keysWith(RECORDING_RULES + "  - name: shadow\n    rules:\n      - record: memory_bytes\n"
        + "        expr: vector(2)\n", ALERT_RULES);
    assertEquals(List.of(3), changed(before, after));
  }

  @Test
  void whatReadsAlertStateSeesEveryAlert() {
    String readsAlerts = TEST_FILE.replace("expr: 'memory_bytes'", "expr: 'ALERTS{alertname=\"Down\"}'");
    String[] a = keys(files(RECORDING_RULES, ALERT_RULES, readsAlerts));
    String[] b = keys(files(RECORDING_RULES, ALERT_RULES.replace("for: 5m", "for: 6m"), readsAlerts));
    assertEquals(List.of(1, 3), changed(a, b));

    // the same through a recording rule the case reads
    String recordsAlerts = RECORDING_RULES.replace("max by (job) (memory_bytes)",
        "max by (job) (memory_bytes) and on () absent(ALERTS_FOR_STATE)");
    String readsRecorded = TEST_FILE.replace("expr: 'memory_bytes'", "expr: 'job:memory:max'");
    a = keys(files(recordsAlerts, ALERT_RULES, readsRecorded));
    b = keys(files(recordsAlerts, ALERT_RULES.replace("for: 5m", "for: 6m"), readsRecorded));
    assertEquals(List.of(1, 3), changed(a, b));
  }

  @Test
  void selectorsThatNameNoMetricSeeEveryRule() {
    for (String expr : List.of("memory_bytes or {job=\"a\"}", "memory_bytes or {__name__=~\"job:.+\"}",
        "count({__name__!=\"x\"})", "info(memory_bytes)")) {
      String tests = TEST_FILE.replace("expr: 'memory_bytes'", "expr: '" + expr + "'");
      String[] a = keys(files(RECORDING_RULES, ALERT_RULES, tests));
      String[] b = keys(files(RECORDING_RULES, ALERT_RULES.replace("up == 0", "up < 1"), tests));
      assertEquals(List.of(0, 3), changed(a, b), expr);
    }
    // a named selector with matchers, or a quoted name, still names its metric
    for (String expr : List.of("memory_bytes{job=~\".+\"}", "{__name__=\"memory_bytes\", job=\"a\"}")) {
      String tests = TEST_FILE.replace("expr: 'memory_bytes'", "expr: '" + expr + "'");
      String[] a = keys(files(RECORDING_RULES, ALERT_RULES, tests));
      String[] b = keys(files(RECORDING_RULES, ALERT_RULES.replace("up == 0", "up < 1"), tests));
      assertEquals(List.of(0), changed(a, b), expr);
    }
  }

  @Test
  void anAlertWhoseTemplateQueriesSeesEveryRule() {
    String querying = ALERT_RULES.replace("for: 5m\n",
        "for: 5m\n        annotations:\n          top: '{{ with query \"topk(1, job:memory:max)\" }}x{{ end }}'\n");
    String[] a = keysWith(RECORDING_RULES, querying);
    String[] b = keysWith(RECORDING_RULES.replace("max by (job) (memory_bytes)", "min by (job) (memory_bytes)"),
        querying);
    assertEquals(List.of(1), changed(a, b));
  }

  @Test
  void aCutLoadsOnlyTheRulesItsCasesSeeOnTheirOwnLines() {
    Map<String, String> files = files(RECORDING_RULES, ALERT_RULES, TEST_FILE);
    RuleTestParts parts = cut(files);
    RuleTestParts.Part highErrors = parts.parts().stream().filter(p -> p.cases().equals(List.of(1))).findFirst()
        .orElseThrow();

    Map<String, String> cut = parts.keeping(Set.of(highErrors), false);

    String recording = cut.get(RECORDING);
    assertTrue(recording.contains("record: job:requests:rate5m") && recording.contains("record: job:errors:ratio_rate5m"),
        recording);
    assertTrue(!recording.contains("job:memory:max"), recording);
    assertTrue(cut.get(ALERTS).contains("alert: HighErrors") && !cut.get(ALERTS).contains("alert: Down"),
        cut.get(ALERTS));
    assertTrue(cut.get(TESTS).contains("alertname: HighErrors") && !cut.get(TESTS).contains("alertname: Down"));
    files.forEach((rel, text) -> {
      String[] was = text.split("\n", -1);
      String[] now = cut.get(rel).split("\n", -1);
      assertEquals(was.length, now.length, rel);
      for (int l = 0; l < now.length; l++) {
        assertTrue(now[l].isEmpty() || now[l].equals(was[l]), rel + ":" + (l + 1) + " moved: " + now[l]);
      }
    });

    Map<String, String> everyRule = parts.keeping(Set.of(highErrors), true);
    assertEquals(RECORDING_RULES, everyRule.get(RECORDING));
    assertEquals(ALERT_RULES, everyRule.get(ALERTS));
  }

  @Test
  void aCaseOnInputSeriesAloneLoadsNoRule() {
    RuleTestParts parts = cut(files(RECORDING_RULES, ALERT_RULES, TEST_FILE));
    RuleTestParts.Part inputs = parts.parts().stream().filter(p -> p.cases().equals(List.of(3))).findFirst()
        .orElseThrow();
    Map<String, String> cut = parts.keeping(Set.of(inputs), false);
    assertTrue(Arrays.stream((cut.get(RECORDING) + cut.get(ALERTS)).split("\n")).noneMatch(l -> l.contains("expr:")),
        cut.toString());
    assertNotEquals(parts.cost(inputs, true), parts.cost(inputs, false), "loading every rule costs more");
  }
}
