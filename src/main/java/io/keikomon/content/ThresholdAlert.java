package io.keikomon.content;

import io.keikomon.config.Durations;
import io.keikomon.config.KeikoConfig.Threshold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * An alert of the form {@code expr > threshold}, one rule per configured severity (same alert name, so
 * Alertmanager's inhibition lets the critical one silence the warning), plus promtool cases computed from
 * the thresholds in force: just above each threshold (fires, with exact labels and annotations), just
 * under it (quiet), and above all thresholds but shorter than {@code for} (quiet).
 */
final class ThresholdAlert {
  /** Turns a wanted value into input series; returns the value Prometheus will compute from them. */
  interface Encoder {
    Encoded encode(double value, int samples);
  }

  record Encoded(List<InputSeries> series, double value) {}

  record Level(String severity, double threshold) {}

  /**
   * A further promtool case: {@code series} encodes the situation; the alert fires at every level below
   * the encoded value unless {@code quiet} (e.g. below a traffic floor, where the value is not judged).
   */
  record Scenario(String title, IntFunction<Encoded> series, boolean quiet) {}

  /** How far test values stay from a threshold; RATIO values cannot exceed 1. */
  enum Scale { RATIO, OPEN }

  /** Where in {@code expr} the comparison with the level goes; without it " > threshold" is appended. */
  static final String THRESHOLD = "{threshold}";

  private final String name;
  private final String expr;
  private final String forDuration;
  private final String service;
  private final List<Level> levels;
  private final Scale scale;
  private final ValueFormat format;
  private final long windowSeconds;
  private final Map<String, String> resultLabels;
  private final Encoder encoder;

  /**
   * @param expr the value expression; " > threshold" is appended, or replaces {@link #THRESHOLD} in it
   * @param windowSeconds the range of the rate() or increase() expr needs (0 for gauges): cases are
   *     evaluated once the window is full, so rates are exact
   * @param resultLabels the labels the expression's result carries in the encoded test series
   */
  ThresholdAlert(String name, String expr, String forDuration, String service, List<Level> levels, Scale scale,
      ValueFormat format, long windowSeconds, Map<String, String> resultLabels, Encoder encoder) {
    this.name = name;
    this.expr = expr;
    this.forDuration = forDuration;
    this.service = service;
    this.levels = List.copyOf(levels);
    this.scale = scale;
    this.format = format;
    this.windowSeconds = windowSeconds;
    this.resultLabels = Map.copyOf(resultLabels);
    this.encoder = encoder;
  }

  /**
   * @param text summary/description/runbook; in them "{threshold}" and "{for}" are replaced by the
   *     level's threshold and the for duration, "{value}" by the value pipe of {@link ValueFormat}
   */
  AlertDefinition build(AlertText text) {
    return build(text, List.of());
  }

  AlertDefinition build(AlertText text, List<Scenario> scenarios) {
    List<AlertRule> rules = new ArrayList<>();
    for (Level level : levels) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("severity", level.severity());
      labels.put("service", service);
      AlertText t = new AlertText(fill(text.summary(), level), fill(text.description(), level), fill(text.runbook(), level));
      String threshold = ValueFormat.plain(level.threshold());
      rules.add(new AlertRule(name, expr.contains(THRESHOLD) ? expr.replace(THRESHOLD, threshold) : expr + " > " + threshold,
          forDuration, labels, t.annotations()));
    }
    List<AlertTestCase> cases = cases(rules);
    for (Scenario sc : scenarios) {
      Encoded e = sc.series().apply(samples());
      List<ExpectedAlert> expected = new ArrayList<>();
      for (int i = 0; i < levels.size() && !sc.quiet(); i++) {
        if (e.value() > levels.get(i).threshold()) {
          expected.add(expectation(rules.get(i), e.value()));
        }
      }
      cases.add(new AlertTestCase(name, (expected.isEmpty() ? "quiet " : "fires ") + sc.title(), e.series(),
          Durations.format(fireAt()), expected));
    }
    return new AlertDefinition(rules, cases);
  }

  private String fill(String s, Level level) {
    return s.replace("{threshold}", format.threshold(level.threshold())).replace("{for}", forDuration)
        .replace("{value}", format.template());
  }

  /** When the cases are evaluated: the window is full and the state has lasted {@code for}. */
  long fireAt() {
    return roundUpToMinute(windowSeconds + Durations.parse(forDuration).toSeconds() + 60);
  }

  /** Samples (one a minute) every case's series have: past {@link #fireAt()}. */
  int samples() {
    return (int) (fireAt() / 60) + 3;
  }

  private List<AlertTestCase> cases(List<AlertRule> rules) {
    long forSeconds = Durations.parse(forDuration).toSeconds();
    long fireAt = fireAt();
    int samples = samples();
    List<AlertTestCase> cases = new ArrayList<>();
    List<Double> tried = new ArrayList<>();
    double highest = Double.NaN;
    for (Level level : levels) {
      double t = level.threshold();
      double above = t + (scale == Scale.RATIO ? Math.min(0.01, (1 - t) / 2) : Math.max(t * 0.05, 0.01));
      double under = t - (scale == Scale.RATIO ? Math.min(0.01, t / 2) : t * 0.05);
      for (double wanted : new double[] {above, under}) {
        Encoded e = encodeStable(wanted, samples);
        if (tried.contains(e.value())) {
          continue;
        }
        tried.add(e.value());
        List<ExpectedAlert> expected = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
          if (e.value() > levels.get(i).threshold()) {
            expected.add(expectation(rules.get(i), e.value()));
          }
        }
        String title = (expected.isEmpty() ? "quiet" : "fires " + String.join(" and ",
            expected.stream().map(x -> x.labels().get("severity")).toList())) + " at " + format.format(e.value())
            + (e.value() > t ? " (just above " : " (just under ") + level.severity() + " threshold "
            + format.threshold(t) + ")";
        cases.add(new AlertTestCase(name, title, e.series(), Durations.format(fireAt), expected));
        if (expected.size() == levels.size() && !(e.value() <= highest)) {
          highest = e.value();
        }
      }
    }
    if (forSeconds >= 15 && !Double.isNaN(highest)) {
      long shortAt = (windowSeconds > 0 ? 60 : 0) + forSeconds - 15;
      cases.add(new AlertTestCase(name, "quiet at " + format.format(highest) + " while it lasted less than "
          + forDuration, encoder.encode(highest, samples).series(), Durations.format(shortAt), List.of()));
    }
    return cases;
  }

  /** Nudges the value until its printed form cannot flip with floating-point noise. */
  private Encoded encodeStable(double wanted, int samples) {
    Encoded e = encoder.encode(wanted, samples);
    for (int i = 1; i <= 20 && wanted > 0 && !format.stable(e.value()); i++) {
      e = encoder.encode(wanted * (1 + i * 1e-4), samples);
    }
    return e;
  }

  private ExpectedAlert expectation(AlertRule rule, double value) {
    Map<String, String> labels = new LinkedHashMap<>(resultLabels);
    labels.putAll(rule.labels());
    return new ExpectedAlert(labels, AlertText.expand(rule.annotations(), resultLabels, format, value));
  }

  private static long roundUpToMinute(long seconds) {
    return (seconds + 59) / 60 * 60;
  }

  static List<Level> levels(Threshold t) {
    List<Level> out = new ArrayList<>();
    if (t.warning() != null) {
      out.add(new Level("warning", t.warning()));
    }
    if (t.critical() != null) {
      out.add(new Level("critical", t.critical()));
    }
    return out;
  }
}
