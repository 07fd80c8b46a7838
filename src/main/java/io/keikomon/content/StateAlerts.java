package io.keikomon.content;

import static io.keikomon.content.TestSeries.counter;
import static io.keikomon.content.TestSeries.gauge;

import java.util.List;
import java.util.Map;

/**
 * The two shapes most self-monitoring and dependency alerts take, with their promtool cases: a counter
 * that must not grow, and a gauge that must not hold a bad value.
 */
final class StateAlerts {
  private StateAlerts() {}

  /**
   * {@code increase(metric[window]) > 0}: fires once the counter grew within the window for {@code for};
   * quiet while it stays flat.
   */
  static AlertDefinition counterGrows(String name, String metric, Map<String, String> labels, String window,
      String forDuration, String severity, String service, AlertText text) {
    StateAlert alert = new StateAlert(name, "increase(" + metric + "[" + window + "]) > 0", forDuration, severity,
        service, text);
    int n = StateAlert.samples(forDuration);
    return alert.build(List.of(counter(metric, labels, "1", n)), List.of(labels), List.of(counter(metric, labels, "0", n)));
  }

  /** {@code expr} (on gauge {@code metric}) holds while the gauge is {@code bad}; quiet at {@code good}. */
  static AlertDefinition gaugeIs(String name, String expr, String metric, Map<String, String> labels, String bad,
      String good, String forDuration, String severity, String service, AlertText text) {
    StateAlert alert = new StateAlert(name, expr, forDuration, severity, service, text);
    int n = StateAlert.samples(forDuration);
    return alert.build(List.of(gauge(metric, labels, bad, n)), List.of(labels), List.of(gauge(metric, labels, good, n)));
  }
}
