package io.keikomon.compose;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Compose (and Go) write them: {@code 10s}, {@code 1m30s}, {@code 500ms}, {@code 1.5h}. */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /** Nanoseconds, or empty when {@code s} is not a duration. */
  public static OptionalLong parseNanos(String s) {
    if (s == null || s.isEmpty()) {
      return OptionalLong.empty();
    }
    Matcher m = PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos += (long) (Double.parseDouble(m.group(1)) * unit);
      end = m.end();
    }
    return end == s.length() ? OptionalLong.of(nanos) : OptionalLong.empty();
  }
}
