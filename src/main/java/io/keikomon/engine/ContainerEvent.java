package io.keikomon.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One container event.
 *
 * @param action as the engine names it: {@code start}, {@code die}, {@code health_status: healthy}, ...
 * @param attributes the container's labels plus engine attributes such as {@code name}, {@code image},
 *     {@code exitCode}
 */
public record ContainerEvent(String containerId, String action, Map<String, String> attributes, Instant time) {
  private static final String HEALTH_PREFIX = "health_status: ";

  public ContainerEvent {
    attributes = Map.copyOf(attributes);
  }

  /** healthy / unhealthy / starting when this is a health_status event. */
  public Optional<String> healthStatus() {
    return action.startsWith(HEALTH_PREFIX)
        ? Optional.of(action.substring(HEALTH_PREFIX.length()).trim())
        : Optional.empty();
  }

  public String attribute(String key) {
    return attributes.get(key);
  }
}
