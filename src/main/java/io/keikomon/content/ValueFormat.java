package io.keikomon.content;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How an alert shows its value: the Prometheus template pipe used in annotations, and the same
 * formatting done in Java so that promtool tests can expect the exact annotation text.
 * Go formats from the exact binary value with round-half-even; BigDecimal(double) does the same.
 */
enum ValueFormat {
  /** 0.85 → "85%" ({@code humanizePercentage}: %.4g of v*100). */
  PERCENT("{{ $value | humanizePercentage }}") {
    @Override
    String format(double v) {
      return new BigDecimal(v * 100).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros()
          .toPlainString() + "%";
    }

    @Override
    String threshold(double t) {
      return format(t);
    }
  },
  /** 1.2 → "1.20s". */
  SECONDS("{{ $value | printf \"%.2f\" }}s") {
    @Override
    String format(double v) {
      return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "s";
    }

    @Override
    String threshold(double t) {
      return plain(t) + "s";
    }
  },
  /** A count from increase(), which extrapolates (one failure can read 1.1): 1.1 → "1". */
  COUNT("{{ $value | printf \"%.0f\" }}") {
    @Override
    String format(double v) {
      return new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Override
    String threshold(double t) {
      return plain(t);
    }
  };

  private final String template;

  ValueFormat(String template) {
    this.template = template;
  }

  /** The annotation snippet that prints {@code $value}. */
  String template() {
    return template;
  }

  /** What {@link #template()} prints for {@code v}. */
  abstract String format(double v);

  /** A threshold as people write it in prose. */
  abstract String threshold(double t);

  /** True when a value within rounding noise of {@code v} prints the same. */
  boolean stable(double v) {
    double eps = Math.max(Math.abs(v), 1e-6) * 1e-9;
    return format(v - eps).equals(format(v + eps));
  }

  static String plain(double d) {
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }
}
