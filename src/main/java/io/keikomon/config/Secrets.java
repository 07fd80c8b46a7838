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
    Optional<String> redisPassword,
    Optional<String> grafanaDbPassword) {

  /** Without the password of Grafana's shared database (compose mode has none). */
  public Secrets(Optional<String> grafanaAdminPassword, Optional<String> slackWebhookUrl,
      Optional<String> postgresPassword, Optional<String> redisPassword) {
    this(grafanaAdminPassword, slackWebhookUrl, postgresPassword, redisPassword, Optional.empty());
  }

  public static final String GRAFANA_ADMIN_PASSWORD = "GRAFANA_ADMIN_PASSWORD";
  public static final String ALERTMANAGER_SLACK_URL = "ALERTMANAGER_SLACK_URL";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";
  public static final String REDIS_PASSWORD = "REDIS_PASSWORD";
  /** Password of ha.grafana.database.user: the PostgreSQL database Grafana's swarm replicas share. */
  public static final String GRAFANA_DB_PASSWORD = "GRAFANA_DB_PASSWORD";
  /** Overrides prometheus.retention (Keiko docs). */
  public static final String PROMETHEUS_RETENTION = "PROMETHEUS_RETENTION";

  /** Shows which secrets are set, never their values. */
  @Override
  public String toString() {
    return "Secrets[grafanaAdminPassword=" + mask(grafanaAdminPassword) + ", slackWebhookUrl=" + mask(slackWebhookUrl)
        + ", postgresPassword=" + mask(postgresPassword) + ", redisPassword=" + mask(redisPassword) + ", grafanaDbPassword=" + mask(grafanaDbPassword) + "]";
  }

  private static String mask(Optional<String> v) {
    return v.isPresent() ? "(set)" : "(absent)";
  }
}
