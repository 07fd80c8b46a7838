package io.keikomon.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus' duration notation: units in falling order, each at most once ("1h30m", "15d", "500ms"). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
  private static final Pattern DURATION =
      Pattern.compile("(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?");

  public static final String HINT = "use a number with a unit (ms, s, m, h, d, w, y), largest unit first,"
      + " e.g. 15s, 1h30m, 15d";

  private Durations() {}

  /** True for a well-formed duration; "0" alone also counts, as in Prometheus. */
  public static boolean isValid(String s) {
    return s.equals("0") || (!s.isEmpty() && DURATION.matcher(s).matches());
  }

  /** True when {@code s} is valid and longer than zero. */
  public static boolean isPositive(String s) {
    return isValid(s) && s.chars().anyMatch(c -> c >= '1' && c <= '9');
  }

  /** The length of a well-formed duration (e.g. "1m30s", "2h"); throws IllegalArgumentException otherwise. */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        case "w" -> Duration.ofDays(7 * n);
        default -> Duration.ofDays(365 * n);
      });
      end = m.end();
    }
    if (end != text.length() || text.isEmpty()) {
      throw new IllegalArgumentException("not a Prometheus duration: " + text);
    }
    return total;
  }

  /** Seconds as Prometheus notation, e.g. 75 → "1m15s", 0 → "0s". */
  public static String format(long seconds) {
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    if (h > 0) {
      out.append(h).append('h');
    }
    if (m > 0) {
      out.append(m).append('m');
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }
}
