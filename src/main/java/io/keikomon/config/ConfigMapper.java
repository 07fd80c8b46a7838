package io.keikomon.config;

import io.keikomon.config.KeikoConfig.Alerting;
import io.keikomon.core.ByteSize;
import io.keikomon.config.KeikoConfig.Backend;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.config.KeikoConfig.Components;
import io.keikomon.config.KeikoConfig.Images;
import io.keikomon.config.KeikoConfig.Ports;
import io.keikomon.config.KeikoConfig.Postgres;
import io.keikomon.config.KeikoConfig.PrometheusSettings;
import io.keikomon.config.KeikoConfig.Redis;
import io.keikomon.config.KeikoConfig.Slack;
import io.keikomon.config.KeikoConfig.Tracing;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Maps the merged keiko.yml node tree onto {@link KeikoConfig}, checking every value on the way and
 * collecting all problems (each at the position of the value that is wrong).
 */
final class ConfigMapper {
  static final int SUPPORTED_VERSION = 1;

  private static final Set<String> TOP = keys("version", "project", "output", "bind", "ports", "images",
      "prometheus", "backend", "postgres", "redis", "tracing", "components", "security", "alerting", "alerts",
      "resources", "extra_targets", "custom_metrics", "mode", "ha", "federation");
  private static final Set<String> SSL_MODES =
      keys("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final String IMAGE_HINT =
      "a pinned image reference such as prom/prometheus:v3.5.0; delete the key to use the default";

  private final List<Problem> problems;
  private final String userFile;

  /** {@code userFile} is the label of the user's file, whose positions are preferred in messages. */
  ConfigMapper(List<Problem> problems, String userFile) {
    this.problems = problems;
    this.userFile = userFile;
  }

  KeikoConfig map(Node root) {
    Section top = new Section(problems, root, "", TOP);
    int version = version(top);
    String project = project(top);
    String output = top.string("output");
    String bind = bind(top);
    Section portsSection = top.section("ports",
        keys("grafana", "prometheus", "alertmanager", "jaeger", "otlp_grpc", "otlp_http"));
    Ports ports = new Ports(port(portsSection, "grafana"), port(portsSection, "prometheus"),
        port(portsSection, "alertmanager"), port(portsSection, "jaeger"), port(portsSection, "otlp_grpc"),
        port(portsSection, "otlp_http"));
    Images images = images(top.section("images", keys("prometheus", "alertmanager", "grafana", "jaeger",
        "node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter")));
    Section prom = top.section("prometheus",
        keys("retention", "retention_size", "scrape_interval", "evaluation_interval"));
    PrometheusSettings prometheus = new PrometheusSettings(duration(prom, "retention", true),
        retentionSize(prom), duration(prom, "scrape_interval", true), duration(prom, "evaluation_interval", true));
    Backend backend = backend(top.section("backend",
        keys("targets", "metrics_path", "health_url", "health_paths", "labels", "largest_latency_bucket")));
    Postgres postgres = postgres(top.section("postgres",
        keys("enabled", "host", "port", "database", "user", "sslmode")));
    Redis redis = redis(top.section("redis", keys("enabled", "address")));
    Section tracingSection = top.section("tracing", keys("enabled", "retention"));
    Tracing tracing = new Tracing(tracingSection.bool("enabled"), duration(tracingSection, "retention", true));
    Section comp = top.section("components", keys("grafana", "alertmanager", "node-exporter", "blackbox-exporter"));
    Components components = new Components(comp.bool("grafana"), comp.bool("alertmanager"),
        comp.bool("node-exporter"), comp.bool("blackbox-exporter"));
    Section sec = top.section("security", keys("auth", "tls"));
    KeikoConfig.Security requested = new KeikoConfig.Security(sec.bool("auth"), sec.bool("tls"));
    Alerting alerting = alerting(top.section("alerting", keys("slack", "dead_mans_switch_url", "none", "runbook_url")));
    KeikoConfig.Alerts alerts = AlertsMapper.map(top.section("alerts", AlertsMapper.KEYS), backend.largestLatencyBucket());
    ExtrasMapper extras = new ExtrasMapper(problems);
    List<KeikoConfig.ScrapeTarget> extraTargets = extras.extraTargets(top);
    List<KeikoConfig.CustomMetric> customMetrics = extras.customMetrics(top);
    checkPortsUnique(portsSection, ports, components, tracing);
    KeikoConfig.Resources resources = resources(top.section("resources", SERVICES));
    HaMapper ha = new HaMapper(userFile);
    KeikoConfig.Mode mode = ha.mode(top);
    KeikoConfig.Security security = swarmSecurity(mode, requested, sec);
    KeikoConfig.Ha haSettings = ha.ha(top, mode, components);
    KeikoConfig.Federation federation = ha.federation(top.section("federation", keys("targets", "match")));
    return new KeikoConfig(version, project, output, bind, ports, images, prometheus, backend, postgres, redis,
        tracing, components, security, alerting, alerts, extraTargets, customMetrics, resources, mode, haSettings,
        federation);
  }

  private static final Set<String> SERVICES = keys("prometheus", "alertmanager", "grafana", "jaeger",
      "node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter");
  private static final String SIZE_HINT = "a size such as 256m or 2g (powers of 1024), or 0 for no limit";

  /** {@code resources.<service>.memory}: Docker's size notation; 0 lifts the limit. */
  private static KeikoConfig.Resources resources(Section s) {
    Map<String, Long> memory = new java.util.LinkedHashMap<>();
    for (String service : SERVICES) {
      Section r = s.section(service, keys("memory"));
      String text = r.string("memory");
      if (text.isEmpty()) {
        continue; // reported already (a section that is not a mapping)
      }
      java.util.OptionalLong bytes = ByteSize.parse(text);
      if (bytes.isEmpty()) {
        r.error("memory", "\"" + text + "\" is not a size", SIZE_HINT);
      } else if (bytes.getAsLong() > 0 && bytes.getAsLong() < (6L << 20)) {
        r.error("memory", "\"" + text + "\" is below the 6 MiB the engine accepts", SIZE_HINT);
      } else if (bytes.getAsLong() > 0) {
        memory.put(service, bytes.getAsLong());
      }
    }
    return new KeikoConfig.Resources(memory);
  }

  /** Prometheus' {@code --storage.tsdb.retention.size}: a number and one of its units, or 0 (no size limit). */
  private static String retentionSize(Section s) {
    String size = s.string("retention_size");
    if (size.isEmpty()) {
      return "0"; // reported already (a section that is not a mapping)
    }
    if (!size.equals("0") && !size.matches("\\d+(B|KB|MB|GB|TB|PB|EB)")) {
      s.error("retention_size", "\"" + size + "\" is not a Prometheus size",
          "a number and a unit: B, KB, MB, GB, TB, PB or EB (e.g. 10GB), or 0 for no size limit");
    }
    return size;
  }

  private static int version(Section top) {
    long v = top.integer("version");
    if (v != Long.MIN_VALUE && v != SUPPORTED_VERSION) {
      top.error("version", "unsupported version " + v,
          "this keiko-mon reads version " + SUPPORTED_VERSION + "; set \"version: " + SUPPORTED_VERSION
              + "\" and compare your file with the one `keiko-mon init` writes");
    }
    return SUPPORTED_VERSION;
  }

  private static String project(Section top) {
    String p = top.string("project");
    if (!p.isEmpty() && !Syntax.isComposeProject(p)) {
      String suggestion = p.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[^a-z0-9]+", "");
      top.error("project", "\"" + p + "\" is not a valid Docker Compose project name",
          "use lowercase letters, digits, '-' and '_', starting with a letter or digit, e.g. \""
              + (suggestion.isEmpty() ? "keiko" : suggestion) + "\"");
    }
    return p;
  }

  private static String bind(Section top) {
    String b = top.string("bind");
    if (!b.isEmpty() && !Syntax.isIpAddress(b)) {
      top.error("bind", "\"" + b + "\" is not an IP address", "use 127.0.0.1 (this host only) or the address of one"
          + " interface; 0.0.0.0 exposes every port to the network");
    } else if (b.equals("0.0.0.0") || b.equals("::")) {
      top.warning("bind", "Grafana, Prometheus and the other published ports are open to the whole network",
          "use 127.0.0.1 unless a firewall protects this host (Docker's port rules bypass ufw)");
    }
    return b;
  }

  /** A port in 1-65535, or 0 after a reported problem. */
  static int port(Section s, String key) {
    long v = s.integer(key);
    if (v == Long.MIN_VALUE) {
      return 0;
    }
    if (v < 1 || v > 65535) {
      s.error(key, "port " + v + " is out of range 1-65535", "pick a free port, e.g. one between 1024 and 65535");
      return 0;
    }
    return (int) v;
  }

  /** Two published services on one host port cannot both start; the message names both places. */
  private void checkPortsUnique(Section s, Ports ports, Components components, Tracing tracing) {
    Map<String, Integer> published = new LinkedHashMap<>();
    published.put("prometheus", ports.prometheus());
    if (components.grafana()) {
      published.put("grafana", ports.grafana());
    }
    if (components.alertmanager()) {
      published.put("alertmanager", ports.alertmanager());
    }
    if (tracing.enabled()) {
      published.put("jaeger", ports.jaeger());
      published.put("otlp_grpc", ports.otlpGrpc());
      published.put("otlp_http", ports.otlpHttp());
    }
    Map<Integer, String> owner = new HashMap<>();
    published.forEach((key, port) -> {
      String first = port == 0 ? null : owner.putIfAbsent(port, key);
      if (first == null) {
        return;
      }
      // Point at a place the user wrote; the other one may be an untouched default.
      boolean swap = isUsers(s.value(first)) && !isUsers(s.value(key));
      String here = swap ? first : key;
      String there = swap ? key : first;
      String where = isUsers(s.value(there)) ? YamlTree.position(s.value(there)) : "the default";
      s.error(here, "port " + port + " is used twice: also by " + s.pathOf(there) + " (" + where + ")",
          "give each service its own host port");
    });
  }

  /**
   * The stack file of swarm mode has no web configs yet: there the embedded default's security (on) gives way to
   * plain HTTP, while a keiko.yml that asks for auth or TLS in swarm mode is refused rather than silently unmet.
   */
  private KeikoConfig.Security swarmSecurity(KeikoConfig.Mode mode, KeikoConfig.Security requested, Section sec) {
    if (mode != KeikoConfig.Mode.SWARM || !requested.any()) {
      return requested;
    }
    for (String key : List.of("auth", "tls")) {
      if (sec.has(key) && isUsers(sec.value(key)) && sec.bool(key)) {
        sec.error(key, "swarm mode does not carry authentication and TLS yet (its stack file has no web configs)",
            "remove it (swarm mode runs plain HTTP: keep the published ports behind a firewall), or use mode: compose");
      }
    }
    return new KeikoConfig.Security(false, false);
  }

  private boolean isUsers(Node n) {
    return YamlTree.isFromFile(n, userFile);
  }

  private static Images images(Section s) {
    return new Images(image(s, "prometheus"), image(s, "alertmanager"), image(s, "grafana"), image(s, "jaeger"),
        image(s, "node-exporter"), image(s, "postgres-exporter"), image(s, "redis-exporter"),
        image(s, "blackbox-exporter"));
  }

  private static String image(Section s, String key) {
    if (s.value(key) instanceof ScalarNode sc && !YamlTree.isNull(sc) && sc.getValue().isBlank()) {
      s.error(key, "image must not be empty", IMAGE_HINT);
      return "";
    }
    String image = s.string(key);
    if (image.chars().anyMatch(Character::isWhitespace)) {
      s.error(key, "\"" + image + "\" is not an image reference (it contains spaces)", IMAGE_HINT);
    } else if (!image.isEmpty() && !image.contains("@")
        && (image.lastIndexOf(':') <= image.lastIndexOf('/') || image.endsWith(":latest"))) {
      s.warning(key, "\"" + image + "\" is not pinned to a version",
          "add a version tag so every start runs the same image");
    }
    return image;
  }

  /** A Prometheus duration ({@code positive}: longer than 0); reported at its value when malformed. */
  static String duration(Section s, String key, boolean positive) {
    String d = s.string(key);
    if (d.isEmpty()) {
      return d;
    }
    if (!Durations.isValid(d)) {
      s.error(key, "\"" + d + "\" is not a Prometheus duration",
          d.chars().allMatch(Character::isDigit) ? "add a unit, e.g. " + d + "s or " + d + "m" : Durations.HINT);
    } else if (positive && !Durations.isPositive(d)) {
      s.error(key, "must be longer than 0", Durations.HINT);
    }
    return d;
  }

  private static Alerting alerting(Section s) {
    Section slack = s.section("slack", keys("channel"));
    String deadMansSwitch = s.optionalString("dead_mans_switch_url", null);
    if (deadMansSwitch != null && !isHttpUrl(deadMansSwitch)) {
      s.error("dead_mans_switch_url", "\"" + deadMansSwitch + "\" is not an http(s) URL",
          "the ping URL your dead-man's-switch service gave you, e.g. https://hc-ping.com/<uuid>");
    }
    return new Alerting(new Slack(slack.string("channel")), deadMansSwitch, s.bool("none"), s.string("runbook_url"));
  }

  private static Backend backend(Section s) {
    List<String> targets = targets(s, "targets");
    String metricsPath = urlPath(s, "metrics_path");
    String healthUrl = s.string("health_url");
    if (!healthUrl.isEmpty() && !isHttpUrl(healthUrl)) {
      s.error("health_url", "\"" + healthUrl + "\" is not an http(s) URL", "e.g. http://host.docker.internal:8000");
    }
    List<String> healthPaths = s.strings("health_paths");
    for (int i = 0; i < healthPaths.size(); i++) {
      if (!healthPaths.get(i).startsWith("/")) {
        s.itemError("health_paths", i, "\"" + healthPaths.get(i) + "\" must start with /", "e.g. /health/ready");
      }
    }
    Section l = s.section("labels", keys("method", "route", "status", "operation", "result"));
    BackendLabels labels = new BackendLabels(labelName(l, "method"), labelName(l, "route"), labelName(l, "status"),
        labelName(l, "operation"), labelName(l, "result"));
    Double largest = s.optionalNumber("largest_latency_bucket");
    if (s.has("largest_latency_bucket") && (largest == null || largest <= 0)) {
      s.error("largest_latency_bucket", "must be a number above 0 (seconds)",
          "the largest finite le of http_request_duration_seconds, e.g. 10 for prometheus_client's default buckets");
    }
    return new Backend(targets, metricsPath, healthUrl, healthPaths, labels, largest == null ? 0 : largest);
  }

  static String urlPath(Section s, String key) {
    String p = s.string(key);
    if (!p.isEmpty() && (!p.startsWith("/") || p.chars().anyMatch(Character::isWhitespace))) {
      s.error(key, "\"" + p + "\" is not a URL path", "start it with /, e.g. /metrics");
    }
    return p;
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String labelName(Section s, String key) {
    String name = s.string(key);
    if (!name.isEmpty() && !Syntax.isLabelName(name)) {
      s.error(key, "\"" + name + "\" is not a Prometheus label name",
          "use letters, digits and '_', not starting with a digit or \"__\"");
    }
    return name;
  }

  /** A non-empty list of host:port scrape targets. */
  static List<String> targets(Section s, String key) {
    List<String> targets = s.strings(key);
    if (targets.isEmpty() && s.value(key) instanceof SequenceNode) {
      s.error(key, "needs at least one host:port target", "e.g. [host.docker.internal:8000]");
    }
    for (int i = 0; i < targets.size(); i++) {
      String t = targets.get(i);
      if (!t.isEmpty() && !Syntax.isHostPort(t)) {
        s.itemError(key, i, "\"" + t + "\" is not host:port", t.contains("/")
            ? "write only host:port here; the scheme goes in `scheme` and the path in `metrics_path`"
            : "e.g. host.docker.internal:8000 (port 1-65535)");
      }
    }
    return targets;
  }

  private static Postgres postgres(Section s) {
    boolean enabled = s.bool("enabled");
    String host = s.string("host");
    if (!host.isEmpty() && !Syntax.isHost(host)) {
      s.error("host", "\"" + host + "\" is not a host name", "only the host goes here; the port has its own key");
    }
    int port = port(s, "port");
    String database = s.string("database");
    String user = s.string("user");
    String sslmode = s.string("sslmode");
    if (!sslmode.isEmpty() && !SSL_MODES.contains(sslmode)) {
      s.error("sslmode", "unknown sslmode \"" + sslmode + "\"", DidYouMean.closest(sslmode, SSL_MODES)
          .map(m -> "did you mean \"" + m + "\"?").orElse("one of " + String.join(", ", SSL_MODES)));
    }
    return new Postgres(enabled, host, port, database, user, sslmode);
  }

  private static Redis redis(Section s) {
    boolean enabled = s.bool("enabled");
    String address = s.string("address");
    // The exporter takes host:port or a redis:// URL (optionally with user@ and /db).
    String hostPort = address.replaceFirst("^rediss?://([^@/]*@)?", "").replaceFirst("/\\d*$", "");
    if (!address.isEmpty() && !Syntax.isHostPort(hostPort)) {
      s.error("address", "\"" + address + "\" is not host:port or a redis:// URL", "e.g. host.docker.internal:6379");
    }
    return new Redis(enabled, address);
  }

  static Set<String> keys(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }
}
