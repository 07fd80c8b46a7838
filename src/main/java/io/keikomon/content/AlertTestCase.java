package io.keikomon.content;

import java.util.List;

/**
 * One promtool test: input series, and at {@code evalTime} exactly the {@code expected} alerts named
 * {@code alertname} are firing (none when the list is empty). {@code title} says what it proves.
 */
public record AlertTestCase(
    String alertname, String title, List<InputSeries> inputSeries, String evalTime, List<ExpectedAlert> expected) {
  public AlertTestCase {
    inputSeries = List.copyOf(inputSeries);
    expected = List.copyOf(expected);
  }

  public boolean fires() {
    return !expected.isEmpty();
  }
}
