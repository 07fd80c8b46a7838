package io.keikomon.docker;

import java.util.Map;

public record VolumeInfo(String name, String driver, Map<String, String> labels) {
  public VolumeInfo {
    labels = Map.copyOf(labels);
  }
}
