package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.KeikoConfig.Alerting;
import io.keikomon.config.KeikoConfig.Alerts;
import io.keikomon.config.KeikoConfig.Backend;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.config.KeikoConfig.Components;
import io.keikomon.config.KeikoConfig.Images;
import io.keikomon.config.KeikoConfig.Ports;
import io.keikomon.config.KeikoConfig.Postgres;
import io.keikomon.config.KeikoConfig.PrometheusSettings;
import io.keikomon.config.KeikoConfig.Redis;
import io.keikomon.config.KeikoConfig.Slack;
import io.keikomon.config.KeikoConfig.Threshold;
import io.keikomon.config.KeikoConfig.Tracing;
import io.keikomon.config.Secrets;
import java.util.List;
import java.util.Optional;

/** Configurations and fixed secrets for render tests. */
final class RenderFixtures {
  private RenderFixtures() {}

  /** The values of src/main/resources/defaults/keiko.yml. */
  static KeikoConfig defaults() {
    return new KeikoConfig(1, "keiko", "monitoring", "127.0.0.1",
        new Ports(3001, 9090, 9093, 16686),
        new Images("prom/prometheus:v3.5.0", "prom/alertmanager:v0.28.1", "grafana/grafana:12.0.2",
            "jaegertracing/jaeger:2.10.0", "prom/node-exporter:v1.9.1",
            "quay.io/prometheuscommunity/postgres-exporter:v0.17.1", "oliver006/redis_exporter:v1.74.0-alpine",
            "prom/blackbox-exporter:v0.27.0"),
        new PrometheusSettings("15d", "15s", "15s"),
        new Backend(List.of("host.docker.internal:8000"), "/metrics", "http://host.docker.internal:8000",
            List.of("/health", "/health/live", "/health/ready"),
            new BackendLabels("method", "endpoint", "status", "operation", "status")),
        new Postgres(true, "host.docker.internal", 5432, "keiko", "keiko", "disable"),
        new Redis(true, "host.docker.internal:6379"),
        new Tracing(true),
        new Components(true, true, true, true),
        new Alerting(new Slack("#keiko-alerts")),
        new Alerts(new Threshold(null, null, "1m"), new Threshold(null, 0.10, "5m"), new Threshold(1.0, null, "10m"),
            new Threshold(0.80, 0.90, "10m"), new Threshold(0.80, 0.90, "10m"), new Threshold(0.80, 0.90, "10m"),
            new Threshold(0.0, null, "5m"), new Threshold(null, null, "2m")),
        List.of(), List.of());
  }

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
