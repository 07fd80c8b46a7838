package io.keikomon.config;

import io.keikomon.config.KeikoConfig.Alerts;
import io.keikomon.config.KeikoConfig.Threshold;
import java.util.Set;

/** {@code alerts:}: thresholds checked against what each one measures (a ratio, seconds, a rate). */
final class AlertsMapper {
  static final Set<String> KEYS = ConfigMapper.keys("service_down", "error_rate", "latency_p95", "cpu", "memory",
      "disk", "agent_registration_failures", "health_probe");
  private static final Set<String> THRESHOLD = ConfigMapper.keys("warning", "critical", "for");
  /** Ratio and latency alerts also take the traffic floor below which they do not judge. */
  private static final Set<String> WITH_FLOOR = ConfigMapper.keys("warning", "critical", "for", "min_request_rate");
  /** Up/down alerts have no level to compare against, only how long the state must last. */
  private static final Set<String> FOR_ONLY = ConfigMapper.keys("for");

  private enum Range { NONE, RATIO, POSITIVE, NON_NEGATIVE }

  private AlertsMapper() {}

  /** @param largestLatencyBucket backend.largest_latency_bucket; latency thresholds must stay below it */
  static Alerts map(Section s, double largestLatencyBucket) {
    return new Alerts(threshold(s, "service_down", FOR_ONLY, Range.NONE),
        threshold(s, "error_rate", WITH_FLOOR, Range.RATIO),
        belowLargestBucket(s, threshold(s, "latency_p95", WITH_FLOOR, Range.POSITIVE), largestLatencyBucket),
        threshold(s, "cpu", THRESHOLD, Range.RATIO),
        threshold(s, "memory", THRESHOLD, Range.RATIO),
        threshold(s, "disk", THRESHOLD, Range.RATIO),
        threshold(s, "agent_registration_failures", THRESHOLD, Range.NON_NEGATIVE),
        threshold(s, "health_probe", FOR_ONLY, Range.NONE));
  }

  /** A p95 from histogram buckets never exceeds the largest finite bucket: a threshold at or above it never fires. */
  private static Threshold belowLargestBucket(Section parent, Threshold latency, double largest) {
    if (largest <= 0 || !parent.has("latency_p95")) {
      return latency;
    }
    for (String key : new String[] {"warning", "critical"}) {
      Double v = key.equals("warning") ? latency.warning() : latency.critical();
      if (v != null && v >= largest) {
        parent.error("latency_p95", key + " (" + num(v) + " s) is not below the largest finite latency bucket ("
                + num(largest) + " s): a p95 computed from the histogram never exceeds it, so the alert could never fire",
            "lower the threshold, or set backend.largest_latency_bucket to the backend's real largest bucket");
      }
    }
    return latency;
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
    Double floor = null;
    if (keys.contains("min_request_rate")) {
      floor = s.optionalNumber("min_request_rate");
      if (s.has("min_request_rate") && (floor == null || floor < 0)) {
        s.error("min_request_rate", "must be a number, 0 or more (requests per second)",
            "e.g. 0.1: below one request every 10 s the alert does not judge; 0 judges any traffic");
      }
    }
    return new Threshold(warning, critical, ConfigMapper.duration(s, "for", false),
        keys.contains("min_request_rate") && floor == null ? Double.valueOf(0) : floor);
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
