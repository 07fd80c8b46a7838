package io.keikomon.engine;

import java.time.Duration;
import java.util.List;

/**
 * A container healthcheck, as Compose's {@code healthcheck:} describes it.
 *
 * @param test {@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]} or {@code ["NONE"]}
 * @param interval null = engine default (30s); likewise timeout and startPeriod
 * @param retries 0 = engine default (3)
 */
public record HealthcheckSpec(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
  public HealthcheckSpec {
    test = List.copyOf(test);
  }
}
