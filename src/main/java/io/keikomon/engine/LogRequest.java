package io.keikomon.engine;

import java.time.Instant;

/**
 * Which log lines to fetch.
 *
 * @param tail the last N lines, or -1 for all
 * @param follow keep streaming new lines until the subscription is closed or the container stops
 * @param since only lines written at or after this instant, or null
 */
public record LogRequest(int tail, boolean follow, Instant since) {
  public static LogRequest last(int lines) {
    return new LogRequest(lines, false, null);
  }

  public static LogRequest all() {
    return new LogRequest(-1, false, null);
  }
}
