package io.keikomon.content;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Builders for promtool input series (one sample per minute). */
final class TestSeries {
  static final String BACKEND_INSTANCE = "host.docker.internal:8000";

  private TestSeries() {}

  static String selector(String metric, Map<String, String> labels) {
    StringJoiner j = new StringJoiner(", ", metric + "{", "}");
    new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=\"" + v + "\""));
    return j.toString();
  }

  /** A counter growing by {@code perMinute} each sample, starting at 0. */
  static InputSeries counter(String metric, Map<String, String> labels, String perMinute, int samples) {
    return new InputSeries(selector(metric, labels), "0+" + perMinute + "x" + samples);
  }

  /** A gauge holding {@code value}. */
  static InputSeries gauge(String metric, Map<String, String> labels, String value, int samples) {
    return new InputSeries(selector(metric, labels), value + "+0x" + samples);
  }

  /** {@code d} with at most {@code decimals} decimals, no exponent, no trailing zeros. */
  static String decimal(double d, int decimals) {
    return new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
