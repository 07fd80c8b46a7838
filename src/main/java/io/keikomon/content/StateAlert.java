package io.keikomon.content;

import io.keikomon.config.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alert on a state rather than a threshold (a target is down, a probe fails). Its promtool cases:
 * fires when the bad state lasts past {@code for}; quiet in the good state; quiet while the bad state is
 * younger than {@code for}.
 */
final class StateAlert {
  private final String name;
  private final String expr;
  private final String forDuration;
  private final Map<String, String> labels;
  private final AlertText text;

  StateAlert(String name, String expr, String forDuration, String severity, String service, AlertText text) {
    this.name = name;
    this.expr = expr;
    this.forDuration = forDuration;
    this.labels = new LinkedHashMap<>();
    labels.put("severity", severity);
    labels.put("service", service);
    this.text = text;
  }

  AlertRule rule() {
    return new AlertRule(name, expr, forDuration, labels, text.annotations());
  }

  /**
   * @param bad series (one sample per minute, long enough) in the bad state
   * @param firing the result labels of each firing alert the bad series produce
   * @param good series in the good state
   */
  AlertDefinition build(List<InputSeries> bad, List<Map<String, String>> firing, List<InputSeries> good) {
    AlertRule rule = rule();
    long forSeconds = Durations.parse(forDuration).toSeconds();
    String fireAt = Durations.format((forSeconds + 60 + 59) / 60 * 60);
    List<ExpectedAlert> expected = new ArrayList<>();
    for (Map<String, String> result : firing) {
      Map<String, String> all = new LinkedHashMap<>(result);
      rule.labels().forEach((k, v) -> all.put(k, AlertText.expand(v, result, null, 0)));
      expected.add(new ExpectedAlert(all, AlertText.expand(rule.annotations(), result, null, 0)));
    }
    List<AlertTestCase> cases = new ArrayList<>();
    cases.add(new AlertTestCase(name, "fires once the state has lasted " + forDuration, bad, fireAt, expected));
    cases.add(new AlertTestCase(name, "quiet while everything is up", good, fireAt, List.of()));
    if (forSeconds >= 15) {
      cases.add(new AlertTestCase(name, "quiet while the state is younger than " + forDuration, bad,
          Durations.format(forSeconds - 15), List.of()));
    }
    return new AlertDefinition(List.of(rule), cases);
  }

  /** Samples a test needs to cover the firing evaluation. */
  static int samples(String forDuration) {
    return (int) (Durations.parse(forDuration).toSeconds() / 60) + 4;
  }
}
