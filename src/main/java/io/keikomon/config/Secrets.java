package io.keikomon.config;

import java.util.Optional;

/**
 * Secrets never sit in keiko.yml: they come from the environment or the {@code .env} file next to it.
 * Variable names follow the Keiko docs where they name one.
 */
public record Secrets(
    String grafanaAdminPassword,
    Optional<String> slackWebhookUrl,
    Optional<String> postgresPassword,
    Optional<String> redisPassword) {

  public static final String GRAFANA_ADMIN_PASSWORD = "GRAFANA_ADMIN_PASSWORD";
  public static final String ALERTMANAGER_SLACK_URL = "ALERTMANAGER_SLACK_URL";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";
  public static final String REDIS_PASSWORD = "REDIS_PASSWORD";
  /** Overrides prometheus.retention (Keiko docs). */
  public static final String PROMETHEUS_RETENTION = "PROMETHEUS_RETENTION";
}
