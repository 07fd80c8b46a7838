package io.keikomon.engine;

import java.util.List;
import java.util.Optional;

/**
 * Healthcheck state of a container.
 *
 * @param status starting, healthy or unhealthy
 * @param log the most recent probe results, oldest first (the engine keeps five)
 */
public record Health(String status, int failingStreak, List<HealthProbe> log) {
  public Health {
    log = List.copyOf(log);
  }

  public boolean healthy() {
    return "healthy".equals(status);
  }

  public Optional<HealthProbe> lastProbe() {
    return log.isEmpty() ? Optional.empty() : Optional.of(log.get(log.size() - 1));
  }
}
