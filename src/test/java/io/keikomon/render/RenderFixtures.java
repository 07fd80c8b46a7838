package io.keikomon.render;

import io.keikomon.config.Secrets;
import java.util.Optional;

/** Fixed secrets for render tests, so rendered files are stable. */
final class RenderFixtures {
  private RenderFixtures() {}

  /** Every secret set, with fixed values so rendered files are stable. */
  static Secrets allSecrets() {
    return new Secrets(Optional.of("test-grafana-password"), Optional.of("https://hooks.slack.invalid/services/T0/B0/XYZ"),
        Optional.of("test-pg-password"), Optional.of("test-redis-password"));
  }

  /** Only the Grafana password (what a fresh `init` gives). */
  static Secrets grafanaOnly() {
    return new Secrets(Optional.of("test-grafana-password"), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
