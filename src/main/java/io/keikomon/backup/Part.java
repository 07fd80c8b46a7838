package io.keikomon.backup;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a backup holds, each in its own folder of the archive. */
public enum Part {
  /** keiko.yml, template overrides, the rendered tree; .env and secrets only with --include-secrets. */
  CONFIG,
  /** A TSDB snapshot through the admin API, head block included. */
  PROMETHEUS,
  /** Folders and dashboards through the HTTP API (datasources come from the config and secrets). */
  GRAFANA,
  /** Active and pending silences. */
  ALERTMANAGER;

  /** The name on the command line, in the manifest and as the archive folder. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Entries of this part live under this folder of the archive. */
  public String folder() {
    return id() + "/";
  }

  public static Optional<Part> of(String id) {
    return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
  }
}
