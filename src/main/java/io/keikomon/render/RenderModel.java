package io.keikomon.render;

import io.keikomon.content.ScrapeJob;
import io.keikomon.config.Durations;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.content.MonitoringContent;
import io.keikomon.core.ByteSize;
import io.keikomon.core.Component;
import io.keikomon.core.ProtectedEndpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data every template sees. Anything that needs a decision is computed here, so templates only
 * place values. Add a key with one {@code model.put(...)} line.
 *
 * <p>Templates also get {@code q(x)}: {@code x} as a YAML scalar, quoted when needed.
 */
public final class RenderModel {
  /** Prometheus' default scrape timeout; it may not exceed the scrape interval. */
  private static final long DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

  private RenderModel() {}

  public static Map<String, Object> build(KeikoConfig cfg, Secrets secrets, SecurityMaterial security) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("config", cfg);
    model.put("project", cfg.project());
    model.put("bind", cfg.bind());
    model.put("ports", ports(cfg.ports()));
    model.put("images", images(cfg.images()));
    model.put("enabled", enabled(cfg));
    model.put("components", components());
    model.put("prometheus", prometheus(cfg.prometheus()));
    Map<String, Object> sec = security(cfg, security);
    model.put("security", sec);
    model.put("scrapeJobs", ScrapeJob.forConfig(cfg).stream().map(j -> job(j, sec, cfg.swarm())).toList());
    List<SecretFile> secretFiles = SecretFile.forConfig(cfg, secrets, security);
    model.put("secrets", secrets(secretFiles));
    model.put("serviceSecrets", serviceSecrets(cfg, secretFiles));
    model.put("healthchecks", healthchecks(cfg));
    model.put("postgres", postgres(cfg.postgres()));
    model.put("redis", Map.of("addr", SecretFile.redisUri(cfg.redis())));
    model.put("tracing", Map.of("spanTtl", cfg.tracing().retentionGo()));
    model.put("slackChannel", cfg.alerting().slack() == null ? "" : cfg.alerting().slack().channel());
    model.put("dependsOn", dependsOn(cfg));
    model.put("memory", memory(cfg.resources()));
    model.put(MonitoringContent.MODEL_NAME, MonitoringContent.from(cfg));
    model.put("swarm", swarm(cfg));
    model.put("federation", Map.of("targets", cfg.federation().targets(), "match", cfg.federation().match()));
    return model;
  }

  /**
   * Swarm mode ({@code swarm.enabled}): replica counts, Grafana's shared database, and the services Prometheus
   * finds by DNS ({@code tasks.<service>}: one address per task, never the load-balanced VIP).
   */
  private static Map<String, Object> swarm(KeikoConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", cfg.swarm());
    KeikoConfig.Ha ha = cfg.ha();
    boolean sharedDb = ha.grafanaDatabase() != null;
    m.put("replicas", Map.of("prometheus", String.valueOf(ha.prometheusReplicas()),
        "alertmanager", String.valueOf(ha.alertmanagerReplicas()),
        // without a shared database every replica would keep its own dashboards and users: one only
        "grafana", String.valueOf(sharedDb ? ha.grafanaReplicas() : 1)));
    Map<String, Object> db = new LinkedHashMap<>();
    if (sharedDb) {
      KeikoConfig.GrafanaDatabase d = ha.grafanaDatabase();
      db.put("host", d.host() + ":" + d.port());
      db.put("name", d.database());
      db.put("user", d.user());
      db.put("sslmode", d.sslmode());
    }
    m.put("grafanaDb", db);
    m.put("project", cfg.project());
    return m;
  }

  /** Jobs whose target is a replicated (or global) swarm service: scraped per task through DNS. */
  private static final Map<String, Component> SWARM_DNS_JOBS = Map.of(ScrapeJob.ALERTMANAGER, Component.ALERTMANAGER,
      ScrapeJob.GRAFANA, Component.GRAFANA, ScrapeJob.NODE, Component.NODE_EXPORTER);

  private static Map<String, Object> ports(KeikoConfig.Ports p) {
    return Map.of("grafana", p.grafana(), "prometheus", p.prometheus(), "alertmanager", p.alertmanager(),
        "jaeger", p.jaeger(), "otlpGrpc", p.otlpGrpc(), "otlpHttp", p.otlpHttp());
  }

  /**
   * The component registry for templates, e.g. {@code ${components.prometheus.port}}; numbers as strings,
   * so FreeMarker's number formatting cannot turn 16686 into "16,686".
   */
  private static Map<String, Object> components() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      m.put(c.modelKey(), Map.of("service", c.service(), "host", c.host(), "port", String.valueOf(c.port()),
          "metricsPort", String.valueOf(c.metricsPort()), "healthPort", String.valueOf(c.healthPort()),
          "healthPath", c.healthPath(), "address", c.address()));
    }
    return m;
  }

  /** Keyed by service name, as in keiko.yml. */
  private static Map<String, Object> images(KeikoConfig.Images i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prometheus", i.prometheus());
    m.put("alertmanager", i.alertmanager());
    m.put("grafana", i.grafana());
    m.put("jaeger", i.jaeger());
    m.put("node-exporter", i.nodeExporter());
    m.put("postgres-exporter", i.postgresExporter());
    m.put("redis-exporter", i.redisExporter());
    m.put("blackbox-exporter", i.blackboxExporter());
    return m;
  }

  /** Memory limits in compose notation ({@code 2g}), keyed by service name; a service without a limit is absent. */
  private static Map<String, Object> memory(KeikoConfig.Resources r) {
    Map<String, Object> m = new java.util.TreeMap<>();
    r.memoryBytes().forEach((service, bytes) -> m.put(service, ByteSize.format(bytes)));
    return m;
  }

  /** Which compose services exist, keyed by service name. */
  private static Map<String, Object> enabled(KeikoConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prometheus", true);
    m.put("alertmanager", cfg.components().alertmanager());
    m.put("grafana", cfg.components().grafana());
    m.put("jaeger", cfg.tracing().enabled());
    m.put("node-exporter", cfg.components().nodeExporter());
    m.put("postgres-exporter", cfg.postgres().enabled());
    m.put("redis-exporter", cfg.redis().enabled());
    m.put("blackbox-exporter", cfg.components().blackboxExporter());
    return m;
  }

  private static Map<String, Object> prometheus(KeikoConfig.PrometheusSettings p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("retention", p.retention());
    m.put("retentionSize", p.retentionSize());
    m.put("scrapeInterval", p.scrapeInterval());
    m.put("evaluationInterval", p.evaluationInterval());
    // Only written when the interval is shorter than Prometheus' 10s default timeout, which it may not exceed.
    long interval = millis(p.scrapeInterval());
    m.put("scrapeTimeout", interval > 0 && interval < DEFAULT_SCRAPE_TIMEOUT_MS ? p.scrapeInterval() : "");
    return m;
  }

  private static Map<String, Object> job(ScrapeJob j, Map<String, Object> security, boolean swarm) {
    Map<String, Object> m = new LinkedHashMap<>();
    Component dns = swarm ? SWARM_DNS_JOBS.get(j.name()) : null;
    m.put("dns", dns == null ? Map.of() : Map.of("name", "tasks." + dns.service(), "port", String.valueOf(dns.metricsPort())));
    m.put("name", j.name());
    m.put("targets", j.targets());
    m.put("metricsPath", j.metricsPath());
    String scheme = j.scheme();
    Object endpoint = JOB_ENDPOINTS.containsKey(j.name())
        ? ((Map<?, ?>) security.get("endpoints")).get(JOB_ENDPOINTS.get(j.name()).component().modelKey()) : null;
    m.put("endpoint", endpoint == null ? Map.of() : endpoint);
    if (endpoint != null) {
      scheme = String.valueOf(security.get("scheme"));
    }
    m.put("scheme", scheme);
    m.put("probe", j.probe());
    return m;
  }

  /**
   * The CMD-SHELL healthcheck of each protected endpoint, by model key: busybox wget to the component itself, the
   * Authorization header read from the mounted secret file at check time ({@code $$} is Compose's literal dollar).
   */
  private static Map<String, Object> healthchecks(KeikoConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (ProtectedEndpoint p : SecurityMaterial.enabled(cfg)) {
      Component c = p.component();
      String address = c == Component.NODE_EXPORTER ? c.address() : "127.0.0.1:" + c.healthPort();
      StringBuilder cmd = new StringBuilder("wget -qO-");
      if (cfg.security().tls()) {
        cmd.append(" --no-check-certificate");
      }
      if (cfg.security().auth()) {
        cmd.append(" --header \"Authorization: $$(cat /run/secrets/").append(p.authHeaderFile()).append(")\"");
      }
      cmd.append(' ').append(cfg.security().tls() ? "https" : "http").append("://").append(address)
          .append(c.healthPath());
      m.put(c.modelKey(), cmd.toString());
    }
    return m;
  }

  /** Scrape jobs that scrape a protected endpoint. */
  private static final Map<String, ProtectedEndpoint> JOB_ENDPOINTS = Map.of(
      ScrapeJob.PROMETHEUS, ProtectedEndpoint.PROMETHEUS, ScrapeJob.ALERTMANAGER, ProtectedEndpoint.ALERTMANAGER,
      ScrapeJob.NODE, ProtectedEndpoint.NODE_EXPORTER);

  /**
   * {@code security.auth}, {@code .tls}, {@code .scheme}, {@code .caFile} (in the container) and
   * {@code .endpoints.<modelKey>} with user, passwordFile, authHeaderFile, hash, certFile, keyFile (paths in the
   * container; empty strings for what is off) for every protected endpoint the stack runs.
   */
  private static Map<String, Object> security(KeikoConfig cfg, SecurityMaterial material) {
    boolean auth = cfg.security().auth();
    boolean tls = cfg.security().tls();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auth", auth);
    m.put("tls", tls);
    m.put("any", auth || tls);
    m.put("scheme", tls ? "https" : "http");
    m.put("caFile", tls ? "/run/secrets/" + ProtectedEndpoint.CA_FILE : "");
    Map<String, Object> endpoints = new LinkedHashMap<>();
    for (ProtectedEndpoint p : SecurityMaterial.enabled(cfg)) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("user", auth ? p.user() : "");
      e.put("passwordFile", auth ? "/run/secrets/" + p.passwordFile() : "");
      e.put("authHeaderFile", auth ? "/run/secrets/" + p.authHeaderFile() : "");
      e.put("hash", auth ? material.hashes().getOrDefault(p, "") : "");
      e.put("certFile", tls ? "/run/secrets/" + p.certificateFile() : "");
      e.put("keyFile", tls ? "/run/secrets/" + p.keyFile() : "");
      e.put("caFile", m.get("caFile"));
      e.put("scheme", m.get("scheme"));
      endpoints.put(p.component().modelKey(), e);
    }
    m.put("endpoints", endpoints);
    return m;
  }

  /**
   * The secrets each compose service mounts, by service name: its own certificate, key and healthcheck header, and
   * the password files and CA of every protected endpoint it is a client of.
   */
  private static Map<String, Object> serviceSecrets(KeikoConfig cfg, List<SecretFile> files) {
    java.util.Set<String> present = new java.util.HashSet<>();
    files.forEach(f -> present.add(f.name()));
    Map<String, List<String>> wanted = new LinkedHashMap<>();
    List<ProtectedEndpoint> enabled = SecurityMaterial.enabled(cfg);
    for (ProtectedEndpoint p : enabled) {
      wanted.computeIfAbsent(p.component().service(), k -> new java.util.ArrayList<>())
          .addAll(List.of(p.certificateFile(), p.keyFile(), p.authHeaderFile()));
    }
    // Prometheus scrapes itself, Alertmanager and node-exporter, and sends alerts to Alertmanager; Grafana queries
    // Prometheus and Alertmanager.
    List<String> prometheus = wanted.computeIfAbsent(Component.PROMETHEUS.service(), k -> new java.util.ArrayList<>());
    prometheus.add(ProtectedEndpoint.CA_FILE);
    enabled.forEach(p -> prometheus.add(p.passwordFile()));
    if (cfg.components().grafana()) {
      List<String> grafana = wanted.computeIfAbsent(Component.GRAFANA.service(), k -> new java.util.ArrayList<>());
      grafana.add(SecretFile.GRAFANA_ADMIN_PASSWORD);
      grafana.add(ProtectedEndpoint.CA_FILE);
      enabled.stream().filter(p -> p != ProtectedEndpoint.NODE_EXPORTER).forEach(p -> grafana.add(p.passwordFile()));
    }
    wanted.computeIfAbsent(Component.ALERTMANAGER.service(), k -> new java.util.ArrayList<>())
        .add(SecretFile.SLACK_WEBHOOK_URL);
    wanted.computeIfAbsent(Component.POSTGRES_EXPORTER.service(), k -> new java.util.ArrayList<>())
        .add(SecretFile.POSTGRES_PASSWORD);
    wanted.computeIfAbsent(Component.REDIS_EXPORTER.service(), k -> new java.util.ArrayList<>())
        .add(SecretFile.REDIS_PASSWORDS);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      List<String> names = wanted.getOrDefault(c.service(), List.of()).stream().filter(present::contains).distinct().toList();
      out.put(c.service(), names);
    }
    return out;
  }

  private static Map<String, Object> secrets(List<SecretFile> files) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (SecretFile f : files) {
      m.put(f.name(), Map.of("file", "./" + f.file(), "path", f.mountPath()));
    }
    return m;
  }

  private static Map<String, Object> postgres(KeikoConfig.Postgres p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uri", p.host() + ":" + p.port() + "/" + p.database() + "?sslmode=" + p.sslmode());
    m.put("user", p.user());
    return m;
  }

  /**
   * Services started before a service (depends_on with service_started, never service_healthy: a broken
   * alertmanager.yml or a failing Jaeger must not keep Prometheus or Grafana from starting at all).
   */
  private static Map<String, Object> dependsOn(KeikoConfig cfg) {
    List<String> prometheus = cfg.components().alertmanager() ? List.of("alertmanager") : List.of();
    List<String> grafana = new java.util.ArrayList<>(List.of("prometheus"));
    if (cfg.components().alertmanager()) {
      grafana.add("alertmanager");
    }
    if (cfg.tracing().enabled()) {
      grafana.add("jaeger");
    }
    return Map.of("prometheus", prometheus, "grafana", List.copyOf(grafana));
  }

  /** A Prometheus duration ("1h30m") in milliseconds, or -1 when it is not one. */
  static long millis(String duration) {
    if (duration == null || duration.isEmpty()) {
      return -1;
    }
    try {
      return Durations.parse(duration).toMillis();
    } catch (IllegalArgumentException notADuration) {
      return -1;
    }
  }
}
