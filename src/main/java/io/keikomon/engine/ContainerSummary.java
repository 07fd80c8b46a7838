package io.keikomon.engine;

import java.util.Map;

/**
 * One row of a container listing.
 *
 * @param name without the leading slash
 * @param state engine state: created, running, paused, restarting, removing, exited or dead
 */
public record ContainerSummary(String id, String name, String image, String state, Map<String, String> labels) {
  public ContainerSummary {
    labels = Map.copyOf(labels);
  }

  public String label(String key) {
    return labels.get(key);
  }
}
