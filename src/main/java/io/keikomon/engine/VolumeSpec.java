package io.keikomon.engine;

import java.util.Map;

/** A volume to create; {@code driver} null means {@code local}. */
public record VolumeSpec(String name, String driver, Map<String, String> labels) {
  public VolumeSpec {
    labels = Map.copyOf(labels);
  }
}
