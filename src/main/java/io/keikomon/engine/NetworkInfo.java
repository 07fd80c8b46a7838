package io.keikomon.engine;

import java.util.Map;

public record NetworkInfo(String id, String name, String driver, Map<String, String> labels) {
  public NetworkInfo {
    labels = Map.copyOf(labels);
  }
}
