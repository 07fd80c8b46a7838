package io.keikomon.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a service needs to know about where it runs: the project folder (holding keiko.yml), the
 * process environment and a clock. Tests build one over jimfs with a fixed clock and environment.
 */
public record Workspace(Path dir, Map<String, String> env, Clock clock) {
  public Workspace {
    env = Map.copyOf(env);
  }

  public Path configFile() {
    return dir.resolve("keiko.yml");
  }

  public Path envFile() {
    return dir.resolve(".env");
  }

  /** The folder users put template overrides in. */
  public Path templateOverrides() {
    return dir.resolve("templates");
  }
}
