package io.keikomon.up;

import java.util.List;

/**
 * What {@code up} will do, per service, to bring the engine in line with the compose file. Removals are of
 * containers whose service is no longer in the file (or duplicates of one that is).
 */
public record Plan(List<Step> steps, List<Removal> removals) {
  public Plan {
    steps = List.copyOf(steps);
    removals = List.copyOf(removals);
  }

  public enum Action {
    /** Running with the wanted definition and config: leave it alone. */
    KEEP,
    /** Exists with the wanted definition but is stopped: start the same container. */
    START,
    /** Only mounted config files changed and the service reloads them live. */
    RELOAD,
    /** Definition, image or (non-reloadable) config changed: replace the container. */
    RECREATE,
    /** No container yet. */
    CREATE
  }

  /**
   * @param containerId the existing container (null for CREATE)
   * @param reason why, in words a user understands (empty for KEEP)
   */
  public record Step(String service, Action action, String containerId, String reason) {}

  public record Removal(String service, String containerId, String containerName, String reason) {}

  public Step step(String service) {
    return steps.stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  /** True when {@code up} has nothing to change. */
  public boolean unchanged() {
    return removals.isEmpty() && steps.stream().allMatch(s -> s.action() == Action.KEEP);
  }
}
