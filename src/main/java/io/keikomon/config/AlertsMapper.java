package io.keikomon.config;

import io.keikomon.config.KeikoConfig.Alerts;
import io.keikomon.config.KeikoConfig.Threshold;
import java.util.Set;

/** {@code alerts:}: thresholds checked against what each one measures (a ratio, seconds, a rate). */
final class AlertsMapper {
  static final Set<String> KEYS = ConfigMapper.keys("service_down", "error_rate", "latency_p95", "cpu", "memory",
      "disk", "agent_registration_failures", "health_probe");
  private static final Set<String> THRESHOLD = ConfigMapper.keys("warning", "critical", "for");
  /** Up/down alerts have no level to compare against, only how long the state must last. */
  private static final Set<String> FOR_ONLY = ConfigMapper.keys("for");

  private enum Range { NONE, RATIO, POSITIVE, NON_NEGATIVE }

  private AlertsMapper() {}

  static Alerts map(Section s) {
    return new Alerts(threshold(s, "service_down", FOR_ONLY, Range.NONE),
        threshold(s, "error_rate", THRESHOLD, Range.RATIO),
        threshold(s, "latency_p95", THRESHOLD, Range.POSITIVE),
        threshold(s, "cpu", THRESHOLD, Range.RATIO),
        threshold(s, "memory", THRESHOLD, Range.RATIO),
        threshold(s, "disk", THRESHOLD, Range.RATIO),
        threshold(s, "agent_registration_failures", THRESHOLD, Range.NON_NEGATIVE),
        threshold(s, "health_probe", FOR_ONLY, Range.NONE));
  }

  private static Threshold threshold(Section parent, String key, Set<String> keys, Range range) {
    Section s = parent.section(key, keys);
    Double warning = s.optionalNumber("warning");
    Double critical = s.optionalNumber("critical");
    // Comparing the two only makes sense once each is in range (95 vs 0.9 is one mistake, not two).
    boolean inRange = inRange(s, "warning", warning, range) & inRange(s, "critical", critical, range);
    if (inRange && warning != null && critical != null && warning > critical) {
      s.error(s.has("warning") ? "warning" : "critical",
          "warning (" + num(warning) + ") is above critical (" + num(critical) + ")",
          "the warning threshold must not be above the critical one");
    }
    return new Threshold(warning, critical, ConfigMapper.duration(s, "for", false));
  }

  /** False (after reporting it) when {@code v} is outside what the alert measures; NaN was reported already. */
  private static boolean inRange(Section s, String key, Double v, Range range) {
    if (v == null) {
      return true;
    }
    if (v.isNaN()) {
      return false;
    }
    switch (range) {
      case RATIO -> {
        if (v < 0 || v > 1) {
          // 90 most likely meant 90 %; 1.5 could mean anything.
          s.error(key, num(v) + " is out of range 0..1", "thresholds here are ratios"
              + (v >= 2 && v <= 100 ? ": " + num(v) + "% is " + num(v / 100) : ", e.g. 0.9 for 90%"));
          return false;
        }
      }
      case POSITIVE -> {
        if (v <= 0) {
          s.error(key, "must be above 0 (seconds)", "e.g. 1.0 for one second");
          return false;
        }
      }
      case NON_NEGATIVE -> {
        if (v < 0) {
          s.error(key, "must not be negative", "0 alerts on any failure");
          return false;
        }
      }
      case NONE -> { }
    }
    return true;
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
