package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Component;
import java.util.ArrayList;
import java.util.List;

/**
 * One Prometheus scrape job. A {@code probe} job sends each target through the blackbox exporter
 * (the target becomes the {@code target} parameter and the {@code instance} label).
 * Job names are a contract: rules and dashboards select on them.
 */
public record ScrapeJob(String name, List<String> targets, String metricsPath, String scheme, boolean probe) {
  public static final String PROMETHEUS = "prometheus";
  public static final String ALERTMANAGER = "alertmanager";
  public static final String GRAFANA = "grafana";
  public static final String JAEGER = "jaeger";
  public static final String NODE = "node";
  public static final String POSTGRES = "postgres";
  public static final String REDIS = "redis";
  public static final String BLACKBOX = "blackbox";
  public static final String BACKEND = "backend";
  /** Blackbox probes of the backend's health endpoints ({@code probe_success}). */
  public static final String HEALTH = "health";

  /** Where Prometheus reaches the blackbox exporter for probe jobs. */
  public static final String BLACKBOX_ADDRESS = Component.BLACKBOX_EXPORTER.address();
  /** node-exporter runs in the host's network namespace and listens on the Docker host gateway. */
  public static final String NODE_EXPORTER_ADDRESS = Component.NODE_EXPORTER.metricsAddress();

  public ScrapeJob {
    targets = List.copyOf(targets);
  }

  static ScrapeJob of(String name, String target) {
    return new ScrapeJob(name, List.of(target), "/metrics", "http", false);
  }

  /** Every job Prometheus scrapes for {@code cfg}, in a stable order. */
  public static List<ScrapeJob> forConfig(KeikoConfig cfg) {
    List<ScrapeJob> jobs = new ArrayList<>();
    jobs.add(of(PROMETHEUS, "localhost:" + Component.PROMETHEUS.metricsPort()));
    if (cfg.components().alertmanager()) {
      jobs.add(of(ALERTMANAGER, Component.ALERTMANAGER.metricsAddress()));
    }
    if (cfg.components().grafana()) {
      jobs.add(of(GRAFANA, Component.GRAFANA.metricsAddress()));
    }
    if (cfg.tracing().enabled()) {
      jobs.add(of(JAEGER, Component.JAEGER.metricsAddress()));
    }
    if (cfg.components().nodeExporter()) {
      jobs.add(of(NODE, NODE_EXPORTER_ADDRESS));
    }
    if (cfg.postgres().enabled()) {
      jobs.add(of(POSTGRES, Component.POSTGRES_EXPORTER.metricsAddress()));
    }
    if (cfg.redis().enabled()) {
      jobs.add(of(REDIS, Component.REDIS_EXPORTER.metricsAddress()));
    }
    if (cfg.components().blackboxExporter()) {
      jobs.add(of(BLACKBOX, BLACKBOX_ADDRESS));
    }
    KeikoConfig.Backend backend = cfg.backend();
    if (!backend.targets().isEmpty()) {
      jobs.add(new ScrapeJob(BACKEND, backend.targets(), orDefault(backend.metricsPath(), "/metrics"), "http", false));
    }
    List<String> health = healthTargets(backend);
    if (cfg.components().blackboxExporter() && !health.isEmpty()) {
      jobs.add(new ScrapeJob(HEALTH, health, "/probe", "http", true));
    }
    for (KeikoConfig.ScrapeTarget extra : cfg.extraTargets()) {
      jobs.add(new ScrapeJob(extra.job(), extra.targets(), orDefault(extra.metricsPath(), "/metrics"),
          orDefault(extra.scheme(), "http"), false));
    }
    return jobs;
  }

  /** health_url joined with each health path: {@code http://host:8000} + {@code /health}. */
  static List<String> healthTargets(KeikoConfig.Backend backend) {
    String base = backend.healthUrl() == null ? "" : backend.healthUrl().strip();
    if (base.isEmpty()) {
      return List.of();
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    List<String> urls = new ArrayList<>();
    for (String path : backend.healthPaths()) {
      urls.add(base + (path.startsWith("/") ? path : "/" + path));
    }
    return urls;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
