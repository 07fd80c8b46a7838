package io.keikomon.config;

import java.util.List;

/**
 * The whole stack, as keiko.yml describes it after defaults are applied. Immutable; built only by
 * {@link ConfigLoader}, which has already reported every problem with its position.
 * Secrets are not here: see {@link Secrets}.
 */
public record KeikoConfig(
    int version,
    String project,
    String output,
    String bind,
    Ports ports,
    Images images,
    PrometheusSettings prometheus,
    Backend backend,
    Postgres postgres,
    Redis redis,
    Tracing tracing,
    Components components,
    Security security,
    Alerting alerting,
    Alerts alerts,
    List<ScrapeTarget> extraTargets,
    List<CustomMetric> customMetrics,
    Resources resources,
    Mode mode,
    Ha ha,
    Federation federation) {

  public KeikoConfig {
    extraTargets = List.copyOf(extraTargets);
    customMetrics = List.copyOf(customMetrics);
  }

  /** The same config with another mode (tests and the swarm examples switch one keiko.yml). */
  public KeikoConfig withMode(Mode other) {
    return new KeikoConfig(version, project, output, bind, ports, images, prometheus, backend, postgres, redis, tracing,
        components, security, alerting, alerts, extraTargets, customMetrics, resources, other, ha, federation);
  }

  /** How the stack runs: one host with Docker Compose, or a Docker Swarm (services with replicas). */
  public enum Mode {
    COMPOSE, SWARM;

    /** The keiko.yml spelling. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean swarm() {
    return mode == Mode.SWARM;
  }

  /**
   * Replicas in swarm mode (compose mode runs one of each and ignores this). {@code grafanaDatabase} is the
   * PostgreSQL database the Grafana replicas share (its password is GRAFANA_DB_PASSWORD), or null when
   * keiko.yml names none (then Grafana keeps its SQLite file on a volume and runs one replica).
   */
  public record Ha(int prometheusReplicas, int alertmanagerReplicas, int grafanaReplicas, GrafanaDatabase grafanaDatabase) {}

  public record GrafanaDatabase(String host, int port, String database, String user, String sslmode) {}

  /**
   * This Prometheus as the global one: it scrapes {@code /federate} of each target (other keiko stacks'
   * Prometheus, host:port) for the series {@code match} selects.
   */
  public record Federation(List<String> targets, List<String> match) {
    public Federation {
      targets = List.copyOf(targets);
      match = List.copyOf(match);
    }

    public boolean enabled() {
      return !targets.isEmpty();
    }
  }

  /**
   * Host ports, each published on {@code bind}. {@code jaeger} is its UI; {@code otlpGrpc} and
   * {@code otlpHttp} are where the backend sends traces.
   */
  public record Ports(int grafana, int prometheus, int alertmanager, int jaeger, int otlpGrpc, int otlpHttp) {}

  /** Pinned image references, one per service (yaml keys are the service names). */
  public record Images(
      String prometheus,
      String alertmanager,
      String grafana,
      String jaeger,
      String nodeExporter,
      String postgresExporter,
      String redisExporter,
      String blackboxExporter) {}

  /** Durations are kept in Prometheus' own notation ("15s", "15d"), already checked. */
  /** {@code retentionSize} in Prometheus' notation ({@code 10GB}); {@code 0} means no size limit. */
  public record PrometheusSettings(String retention, String retentionSize, String scrapeInterval,
      String evaluationInterval) {}

  /** Memory limit in bytes of each service's container, by compose service name; absent means no limit. */
  public record Resources(java.util.Map<String, Long> memoryBytes) {
    public Resources {
      memoryBytes = java.util.Map.copyOf(memoryBytes);
    }

    public long memory(String service) {
      return memoryBytes.getOrDefault(service, 0L);
    }
  }

  /**
   * The Keiko backend: where its /metrics are, where its health endpoints are, and the label names
   * its metrics use (so a backend with other label names can still be served).
   */
  /**
   * {@code largestLatencyBucket} is the largest finite {@code le} of http_request_duration_seconds: a p95
   * can never be computed above it, so a latency threshold must stay below it.
   */
  public record Backend(
      List<String> targets, String metricsPath, String healthUrl, List<String> healthPaths, BackendLabels labels,
      double largestLatencyBucket) {
    public Backend {
      targets = List.copyOf(targets);
      healthPaths = List.copyOf(healthPaths);
    }
  }

  /** Label names on the backend's metrics. */
  public record BackendLabels(String method, String route, String status, String operation, String result) {}

  public record Postgres(boolean enabled, String host, int port, String database, String user, String sslmode) {}

  /** {@code address} is host:port (or a redis:// URL) of the Redis server. */
  public record Redis(boolean enabled, String address) {}

  /**
   * Jaeger, when {@code enabled}; it keeps spans on a volume for {@code retention} (Prometheus notation, checked
   * to be positive).
   */
  public record Tracing(boolean enabled, String retention) {
    /** The retention as a Go duration, which Jaeger reads (Go has no d, w, y): whole hours, else s or ms. */
    public String retentionGo() {
      long ms = Durations.parse(retention).toMillis();
      return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
  }

  /** Optional components; Prometheus itself is always on. */
  public record Components(boolean grafana, boolean alertmanager, boolean nodeExporter, boolean blackboxExporter) {}

  /**
   * {@code auth}: Prometheus, Alertmanager and node-exporter ask for basic auth (bcrypt {@code basic_auth_users},
   * passwords from .env) and every client sends it; {@code tls}: they serve HTTPS with certificates from keiko-mon's
   * local CA and every client verifies them with it. Both on by default.
   */
  public record Security(boolean auth, boolean tls) {
    public boolean any() {
      return auth || tls;
    }
  }

  /**
   * Where alerts go. {@code deadMansSwitchUrl} (null when unset) is the webhook the always-firing Watchdog
   * calls; {@code none} says on purpose that alerts go nowhere (otherwise validate reports it);
   * {@code runbookUrl} is where docs/runbooks.md is read, each alert links to its section there.
   */
  public record Alerting(Slack slack, String deadMansSwitchUrl, boolean none, String runbookUrl) {}

  /** The webhook URL is a secret (ALERTMANAGER_SLACK_URL); only the channel lives here. */
  public record Slack(String channel) {}

  /**
   * Alert thresholds. Ratios are 0..1 (0.9 = 90%); latency is in seconds; {@code forDuration} is a
   * Prometheus duration. A null warning/critical means that severity is not generated.
   * {@code minRequestRate} (requests/s, null where it does not apply) is the traffic below which a ratio
   * or latency alert does not judge: one slow or failed request in a quiet five minutes is no incident.
   */
  public record Threshold(Double warning, Double critical, String forDuration, Double minRequestRate) {}

  public record Alerts(
      Threshold serviceDown,
      Threshold errorRate,
      Threshold latencyP95,
      Threshold cpu,
      Threshold memory,
      Threshold disk,
      Threshold agentRegistrationFailures,
      Threshold healthProbe) {}

  /** An extra scrape job the user wants beside the generated ones. */
  public record ScrapeTarget(String job, List<String> targets, String metricsPath, String scheme) {
    public ScrapeTarget {
      targets = List.copyOf(targets);
    }
  }

  /** A metric the backend exposes beyond the documented ones; gets generated panels. */
  public record CustomMetric(String name, Type type, String help, List<String> labels) {
    public CustomMetric {
      labels = List.copyOf(labels);
    }

    public enum Type { COUNTER, GAUGE, HISTOGRAM }
  }
}
