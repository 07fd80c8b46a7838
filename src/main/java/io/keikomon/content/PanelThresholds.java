package io.keikomon.content;

import io.keikomon.config.KeikoConfig.Threshold;
import java.util.ArrayList;
import java.util.List;

/**
 * Panel colours from the numbers the alerts use, so a panel turns orange where the warning fires and red
 * where the critical one does. Grafana colours a value at or above a step; the alerts fire above it.
 */
final class PanelThresholds {
  static final String OK = "green";
  static final String WARNING = "orange";
  static final String CRITICAL = "red";
  /** up, probe_success, a config reload: 1 is fine, 0 is not. */
  static final List<ValueMapping> UP_DOWN = List.of(new ValueMapping("1", "up", OK), new ValueMapping("0", "down", CRITICAL));
  static final List<ValueMapping> OK_FAILING =
      List.of(new ValueMapping("1", "ok", OK), new ValueMapping("0", "failing", CRITICAL));

  private PanelThresholds() {}

  /** Green below the warning, orange from it, red from the critical one; a null severity has no step. */
  static List<ThresholdStep> of(Threshold t) {
    List<ThresholdStep> steps = new ArrayList<>();
    steps.add(new ThresholdStep(null, OK));
    if (t.warning() != null) {
      steps.add(new ThresholdStep(t.warning(), WARNING));
    }
    if (t.critical() != null) {
      steps.add(new ThresholdStep(t.critical(), CRITICAL));
    }
    return steps;
  }

  /** A warning-only alert's number (a share of a limit, an age). */
  static List<ThresholdStep> warningAt(double value) {
    return List.of(new ThresholdStep(null, OK), new ThresholdStep(value, WARNING));
  }

  /** For up-style values: 0 red, 1 green (state timelines colour by the mappings, stats by these). */
  static List<ThresholdStep> upDown() {
    return List.of(new ThresholdStep(null, CRITICAL), new ThresholdStep(1.0, OK));
  }
}
