package io.keikomon.content;

import java.util.List;

/**
 * One promtool promql_expr_test of a recording rule: with {@code inputSeries}, at {@code evalTime}
 * {@code expr} returns exactly {@code expected} (none when empty: no data, never NaN).
 */
public record RecordingTestCase(String title, List<InputSeries> inputSeries, String evalTime, String expr,
    List<Sample> expected) {
  public RecordingTestCase {
    inputSeries = List.copyOf(inputSeries);
    expected = List.copyOf(expected);
  }

  /** {@code labels} in selector notation, including the recorded name. */
  public record Sample(String labels, String value) {}
}
