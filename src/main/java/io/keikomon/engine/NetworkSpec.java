package io.keikomon.engine;

import java.util.Map;

/** A network to create; {@code driver} null means the engine default (bridge). */
public record NetworkSpec(String name, String driver, Map<String, String> labels, boolean attachable) {
  public NetworkSpec {
    labels = Map.copyOf(labels);
  }
}
