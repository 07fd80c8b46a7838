package io.keikomon.config;

import java.util.regex.Pattern;

/** Prometheus' duration notation: units in falling order, each at most once ("1h30m", "15d", "500ms"). */
public final class Durations {
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
}
