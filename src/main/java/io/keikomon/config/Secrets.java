package io.keikomon.config;

import java.util.Optional;

/**
 * Secrets never sit in keiko.yml: they come from the environment or the {@code .env} file next to it.
 * Variable names follow the Keiko docs where they name one. An absent Grafana password is generated
 * and stored in .env by render (never a default password).
 */
public record Secrets(
    Optional<String> grafanaAdminPassword,
    Optional<String> slackWebhookUrl,
    Optional<String> postgresPassword,
    Optional<String> redisPassword) {

  public static final String GRAFANA_ADMIN_PASSWORD = "GRAFANA_ADMIN_PASSWORD";
  public static final String ALERTMANAGER_SLACK_URL = "ALERTMANAGER_SLACK_URL";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";
  public static final String REDIS_PASSWORD = "REDIS_PASSWORD";
  /** Overrides prometheus.retention (Keiko docs). */
  public static final String PROMETHEUS_RETENTION = "PROMETHEUS_RETENTION";

  /** Shows which secrets are set, never their values. */
  @Override
  public String toString() {
    return "Secrets[grafanaAdminPassword=" + mask(grafanaAdminPassword) + ", slackWebhookUrl=" + mask(slackWebhookUrl)
        + ", postgresPassword=" + mask(postgresPassword) + ", redisPassword=" + mask(redisPassword) + "]";
  }

  private static String mask(Optional<String> v) {
    return v.isPresent() ? "(set)" : "(absent)";
  }
}
