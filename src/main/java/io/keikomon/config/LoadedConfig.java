package io.keikomon.config;

import java.util.List;

/**
 * A successfully loaded configuration, where it came from ("keiko.yml" or "embedded default"), and the
 * warnings found on the way (errors would have stopped the load).
 */
public record LoadedConfig(KeikoConfig config, String source, List<Problem> warnings) {
  public static final String EMBEDDED_DEFAULT = "embedded default";

  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
