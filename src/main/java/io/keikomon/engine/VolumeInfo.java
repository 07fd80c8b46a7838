package io.keikomon.engine;

import java.util.Map;

public record VolumeInfo(String name, String driver, Map<String, String> labels) {
  public VolumeInfo {
    labels = Map.copyOf(labels);
  }
}
