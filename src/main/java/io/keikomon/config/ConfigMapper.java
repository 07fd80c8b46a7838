package io.keikomon.config;

import io.keikomon.config.KeikoConfig.Alerting;
import io.keikomon.config.KeikoConfig.Alerts;
import io.keikomon.config.KeikoConfig.Backend;
import io.keikomon.config.KeikoConfig.BackendLabels;
import io.keikomon.config.KeikoConfig.Components;
import io.keikomon.config.KeikoConfig.CustomMetric;
import io.keikomon.config.KeikoConfig.Images;
import io.keikomon.config.KeikoConfig.Ports;
import io.keikomon.config.KeikoConfig.Postgres;
import io.keikomon.config.KeikoConfig.PrometheusSettings;
import io.keikomon.config.KeikoConfig.Redis;
import io.keikomon.config.KeikoConfig.ScrapeTarget;
import io.keikomon.config.KeikoConfig.Slack;
import io.keikomon.config.KeikoConfig.Threshold;
import io.keikomon.config.KeikoConfig.Tracing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Maps the merged keiko.yml node tree onto {@link KeikoConfig}, checking every value on the way and
 * collecting all problems (with the position of the value that is wrong).
 */
final class ConfigMapper {
  static final int SUPPORTED_VERSION = 1;

  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern HOST = Pattern.compile(
      "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*|\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Set<String> SSL_MODES = keys("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Set<String> SCHEMES = keys("http", "https");

  private static final Set<String> TOP = keys("version", "project", "output", "bind", "ports", "images",
      "prometheus", "backend", "postgres", "redis", "tracing", "components", "alerting", "alerts",
      "extra_targets", "custom_metrics");
  private static final Set<String> THRESHOLD = keys("warning", "critical", "for");
  private static final Set<String> FOR_ONLY = keys("for");

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
    Section portsSection = top.section("ports", keys("grafana", "prometheus", "alertmanager", "jaeger"));
    Ports ports = new Ports(port(portsSection, "grafana"), port(portsSection, "prometheus"),
        port(portsSection, "alertmanager"), port(portsSection, "jaeger"));
    Images images = images(top.section("images", keys("prometheus", "alertmanager", "grafana", "jaeger",
        "node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter")));
    PrometheusSettings prometheus = prometheus(top.section("prometheus",
        keys("retention", "scrape_interval", "evaluation_interval")));
    Backend backend = backend(top.section("backend",
        keys("targets", "metrics_path", "health_url", "health_paths", "labels")));
    Postgres postgres = postgres(top.section("postgres",
        keys("enabled", "host", "port", "database", "user", "sslmode")));
    Redis redis = redis(top.section("redis", keys("enabled", "address")));
    Tracing tracing = new Tracing(top.section("tracing", keys("enabled")).bool("enabled"));
    Section comp = top.section("components", keys("grafana", "alertmanager", "node-exporter", "blackbox-exporter"));
    Components components = new Components(comp.bool("grafana"), comp.bool("alertmanager"),
        comp.bool("node-exporter"), comp.bool("blackbox-exporter"));
    Section slack = top.section("alerting", keys("slack")).section("slack", keys("channel"));
    Alerting alerting = new Alerting(new Slack(slack.string("channel")));
    Alerts alerts = alerts(top.section("alerts", keys("service_down", "error_rate", "latency_p95", "cpu", "memory",
        "disk", "agent_registration_failures", "health_probe")));
    List<ScrapeTarget> extraTargets = extraTargets(top);
    List<CustomMetric> customMetrics = customMetrics(top);
    checkPortsUnique(portsSection, components, tracing);
    return new KeikoConfig(version, project, output, bind, ports, images, prometheus, backend, postgres, redis,
        tracing, components, alerting, alerts, extraTargets, customMetrics);
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
    if (!p.isEmpty() && !PROJECT.matcher(p).matches()) {
      top.error("project", "\"" + p + "\" is not a valid Docker Compose project name",
          "use lowercase letters, digits, '-' and '_', starting with a letter or digit, e.g. \""
              + suggestProject(p) + "\"");
    }
    return p;
  }

  private static String suggestProject(String p) {
    String s = p.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[^a-z0-9]+", "");
    return s.isEmpty() ? "keiko" : s;
  }

  private static String bind(Section top) {
    String b = top.string("bind");
    if (!b.isEmpty() && !IPV4.matcher(b).matches() && !IPV6.matcher(b).matches()) {
      top.error("bind", "\"" + b + "\" is not an IP address",
          "use 127.0.0.1 (this host only) or the address of one interface; 0.0.0.0 exposes every port to the network");
    }
    return b;
  }

  private static int port(Section s, String key) {
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

  /** Two published services on one host port cannot both start; names both places. */
  private void checkPortsUnique(Section ports, Components components, Tracing tracing) {
    Map<String, Boolean> published = new java.util.LinkedHashMap<>();
    published.put("prometheus", true);
    published.put("grafana", components.grafana());
    published.put("alertmanager", components.alertmanager());
    published.put("jaeger", tracing.enabled());
    Map<Long, String> owner = new HashMap<>();
    for (Map.Entry<String, Boolean> e : published.entrySet()) {
      Node n = ports.value(e.getKey());
      if (!e.getValue() || n == null) {
        continue;
      }
      long port = parsedPort(n);
      if (port < 1) {
        continue;
      }
      String first = owner.putIfAbsent(port, e.getKey());
      if (first != null) {
        Node firstNode = ports.value(first);
        // Point at the place the user wrote; the other one may be an untouched default.
        boolean firstIsUsers = YamlTree.isFromFile(firstNode, userFile) && !YamlTree.isFromFile(n, userFile);
        String here = firstIsUsers ? first : e.getKey();
        String there = firstIsUsers ? e.getKey() : first;
        Node thereNode = ports.value(there);
        String where = YamlTree.isFromFile(thereNode, userFile) ? YamlTree.position(thereNode) : "the default";
        ports.error(here, "port " + port + " is used twice: also by " + ports.pathOf(there) + " (" + where + ")",
            "give each service its own host port");
      }
    }
  }

  private static long parsedPort(Node n) {
    try {
      long v = Long.parseLong(((org.snakeyaml.engine.v2.nodes.ScalarNode) n).getValue());
      return v <= 65535 ? v : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static Images images(Section s) {
    return new Images(image(s, "prometheus"), image(s, "alertmanager"), image(s, "grafana"), image(s, "jaeger"),
        image(s, "node-exporter"), image(s, "postgres-exporter"), image(s, "redis-exporter"),
        image(s, "blackbox-exporter"));
  }

  private static String image(Section s, String key) {
    String hint = "a pinned image reference such as prom/prometheus:v3.5.0; delete the key to use the default";
    Node v = s.value(key);
    if (v instanceof org.snakeyaml.engine.v2.nodes.ScalarNode sc && sc.getValue().isBlank()
        && !YamlTree.isNull(v)) {
      s.error(key, "image must not be empty", hint);
      return "";
    }
    String image = s.string(key);
    if (image.isEmpty()) {
      return image;
    }
    if (image.chars().anyMatch(Character::isWhitespace)) {
      s.error(key, "\"" + image + "\" is not an image reference (it contains spaces)", hint);
    } else if (!image.contains("@") && (image.lastIndexOf(':') <= image.lastIndexOf('/') || image.endsWith(":latest"))) {
      s.warning(key, "\"" + image + "\" is not pinned to a version", "add a version tag so every start runs the same image");
    }
    return image;
  }

  private static PrometheusSettings prometheus(Section s) {
    return new PrometheusSettings(duration(s, "retention", true), duration(s, "scrape_interval", true),
        duration(s, "evaluation_interval", true));
  }

  static String duration(Section s, String key, boolean positive) {
    Node v = s.value(key);
    String d = s.string(key);
    if (d.isEmpty() || v == null) {
      return d;
    }
    if (!Durations.isValid(d)) {
      String hint = d.chars().allMatch(Character::isDigit) ? "add a unit, e.g. " + d + "s or " + d + "m" : Durations.HINT;
      s.error(key, "\"" + d + "\" is not a Prometheus duration", hint);
    } else if (positive && !Durations.isPositive(d)) {
      s.error(key, "must be longer than 0", Durations.HINT);
    }
    return d;
  }

  private Backend backend(Section s) {
    List<String> targets = targets(s, "targets");
    String metricsPath = urlPath(s, "metrics_path");
    String healthUrl = s.string("health_url");
    if (!healthUrl.isEmpty()) {
      checkHttpUrl(s, "health_url", healthUrl);
    }
    List<String> healthPaths = s.strings("health_paths");
    Node pathsNode = s.value("health_paths");
    for (int i = 0; i < healthPaths.size(); i++) {
      if (!healthPaths.get(i).startsWith("/")) {
        problems.add(YamlTree.error(((org.snakeyaml.engine.v2.nodes.SequenceNode) pathsNode).getValue().get(i),
            s.pathOf("health_paths") + "[" + i + "]", "\"" + healthPaths.get(i) + "\" must start with /",
            "e.g. /health/ready"));
      }
    }
    Section l = s.section("labels", keys("method", "route", "status", "operation", "result"));
    BackendLabels labels = new BackendLabels(labelName(l, "method"), labelName(l, "route"), labelName(l, "status"),
        labelName(l, "operation"), labelName(l, "result"));
    return new Backend(targets, metricsPath, healthUrl, healthPaths, labels);
  }

  private static String urlPath(Section s, String key) {
    String p = s.string(key);
    if (!p.isEmpty() && (!p.startsWith("/") || p.chars().anyMatch(Character::isWhitespace))) {
      s.error(key, "\"" + p + "\" is not a URL path", "start it with /, e.g. /metrics");
    }
    return p;
  }

  private static void checkHttpUrl(Section s, String key, String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      if (u.getScheme() != null && SCHEMES.contains(u.getScheme()) && u.getHost() != null) {
        return;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    s.error(key, "\"" + url + "\" is not an http(s) URL", "e.g. http://host.docker.internal:8000");
  }

  private static String labelName(Section s, String key) {
    String name = s.string(key);
    if (!name.isEmpty() && (!LABEL_NAME.matcher(name).matches() || name.startsWith("__"))) {
      s.error(key, "\"" + name + "\" is not a Prometheus label name",
          "use letters, digits and '_', not starting with a digit or \"__\"");
    }
    return name;
  }

  /** A non-empty list of host:port scrape targets. */
  private List<String> targets(Section s, String key) {
    List<String> targets = s.strings(key);
    Node list = s.value(key);
    if (list instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq) {
      if (targets.isEmpty()) {
        s.error(key, "needs at least one host:port target", "e.g. [host.docker.internal:8000]");
      }
      for (int i = 0; i < targets.size(); i++) {
        String t = targets.get(i);
        if (!t.isEmpty() && !isHostPort(t)) {
          problems.add(YamlTree.error(seq.getValue().get(i), s.pathOf(key) + "[" + i + "]",
              "\"" + t + "\" is not host:port", targetHint(t)));
        }
      }
    }
    return targets;
  }

  private static String targetHint(String t) {
    if (t.contains("://") || t.contains("/")) {
      return "write only host:port here; the scheme goes in `scheme` and the path in `metrics_path`";
    }
    return "e.g. host.docker.internal:8000 (port 1-65535)";
  }

  static boolean isHostPort(String t) {
    int colon = t.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    String host = t.substring(0, colon);
    String port = t.substring(colon + 1);
    if (!HOST.matcher(host).matches() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535;
  }

  private static Postgres postgres(Section s) {
    boolean enabled = s.bool("enabled");
    String host = s.string("host");
    if (!host.isEmpty() && !HOST.matcher(host).matches()) {
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
    if (!address.isEmpty()) {
      String hostPort = address.replaceFirst("^rediss?://([^@/]*@)?", "").replaceFirst("/\\d*$", "");
      if (!isHostPort(hostPort)) {
        s.error("address", "\"" + address + "\" is not host:port or a redis:// URL", "e.g. host.docker.internal:6379");
      }
    }
    return new Redis(enabled, address);
  }

  private static Alerts alerts(Section s) {
    return new Alerts(threshold(s, "service_down", FOR_ONLY, Range.NONE),
        threshold(s, "error_rate", THRESHOLD, Range.RATIO),
        threshold(s, "latency_p95", THRESHOLD, Range.POSITIVE),
        threshold(s, "cpu", THRESHOLD, Range.RATIO),
        threshold(s, "memory", THRESHOLD, Range.RATIO),
        threshold(s, "disk", THRESHOLD, Range.RATIO),
        threshold(s, "agent_registration_failures", THRESHOLD, Range.NON_NEGATIVE),
        threshold(s, "health_probe", FOR_ONLY, Range.NONE));
  }

  private enum Range { NONE, RATIO, POSITIVE, NON_NEGATIVE }

  private static Threshold threshold(Section parent, String key, Set<String> keys, Range range) {
    Section s = parent.section(key, keys);
    Double warning = s.optionalNumber("warning");
    Double critical = s.optionalNumber("critical");
    checkRange(s, "warning", warning, range);
    checkRange(s, "critical", critical, range);
    if (warning != null && critical != null && warning > critical) {
      s.error(s.has("warning") ? "warning" : "critical",
          "warning (" + num(warning) + ") is above critical (" + num(critical) + ")",
          "the warning threshold must not be above the critical one");
    }
    String forDuration = duration(s, "for", false);
    return new Threshold(warning, critical, forDuration);
  }

  private static void checkRange(Section s, String key, Double v, Range range) {
    if (v == null || v.isNaN()) {
      return;
    }
    switch (range) {
      case RATIO -> {
        if (v < 0 || v > 1) {
          s.error(key, num(v) + " is out of range 0..1",
              "thresholds here are ratios" + (v >= 2 && v <= 100 ? ": " + num(v) + "% is " + num(v / 100) : ", e.g. 0.9 for 90%"));
        }
      }
      case POSITIVE -> {
        if (v <= 0) {
          s.error(key, "must be above 0 (seconds)", "e.g. 1.0 for one second");
        }
      }
      case NON_NEGATIVE -> {
        if (v < 0) {
          s.error(key, "must not be negative", null);
        }
      }
      case NONE -> { }
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private List<ScrapeTarget> extraTargets(Section top) {
    List<ScrapeTarget> out = new ArrayList<>();
    Map<String, Node> jobs = new HashMap<>();
    List<Node> items = top.items("extra_targets");
    for (int i = 0; i < items.size(); i++) {
      String path = "extra_targets[" + i + "]";
      Section s = new Section(problems, items.get(i), path, keys("job", "targets", "metrics_path", "scheme"));
      String job = s.string("job");
      if (!job.isEmpty() && !JOB_NAME.matcher(job).matches()) {
        s.error("job", "\"" + job + "\" is not a usable job name", "use letters, digits, '.', '-' and '_'");
      } else if (!job.isEmpty()) {
        Node first = jobs.putIfAbsent(job, s.value("job"));
        if (first != null) {
          s.error("job", "job name \"" + job + "\" is used twice (first at " + YamlTree.position(first) + ")",
              "give each extra target its own job name");
        }
      }
      List<String> targets = targets(s, "targets");
      String metricsPath = s.has("metrics_path") ? urlPath(s, "metrics_path") : "/metrics";
      String scheme = s.optionalString("scheme", "http");
      if (!SCHEMES.contains(scheme)) {
        s.error("scheme", "unknown scheme \"" + scheme + "\"", "http or https");
      }
      out.add(new ScrapeTarget(job, targets, metricsPath, scheme));
    }
    return out;
  }

  private List<CustomMetric> customMetrics(Section top) {
    List<CustomMetric> out = new ArrayList<>();
    Map<String, Node> names = new HashMap<>();
    List<Node> items = top.items("custom_metrics");
    Set<String> types = keys("counter", "gauge", "histogram");
    for (int i = 0; i < items.size(); i++) {
      Section s = new Section(problems, items.get(i), "custom_metrics[" + i + "]",
          keys("name", "type", "help", "labels"));
      String name = s.string("name");
      if (!name.isEmpty() && !METRIC_NAME.matcher(name).matches()) {
        s.error("name", "\"" + name + "\" is not a Prometheus metric name",
            "use letters, digits, '_' and ':', not starting with a digit, e.g. custom_operations_total");
      } else if (!name.isEmpty()) {
        Node first = names.putIfAbsent(name, s.value("name"));
        if (first != null) {
          s.error("name", "metric \"" + name + "\" is listed twice (first at " + YamlTree.position(first) + ")",
              "list each metric once");
        }
      }
      String typeText = s.string("type");
      CustomMetric.Type type = CustomMetric.Type.GAUGE;
      if (types.contains(typeText)) {
        type = CustomMetric.Type.valueOf(typeText.toUpperCase(Locale.ROOT));
      } else if (!typeText.isEmpty()) {
        s.error("type", "unknown metric type \"" + typeText + "\"", DidYouMean.closest(typeText, types)
            .map(t -> "did you mean \"" + t + "\"?").orElse("one of counter, gauge, histogram"));
      }
      String help = s.optionalString("help", "");
      List<String> labels = s.has("labels") ? s.strings("labels") : List.of();
      Node labelsNode = s.value("labels");
      for (int j = 0; j < labels.size(); j++) {
        String l = labels.get(j);
        boolean reserved = l.startsWith("__") || (type == CustomMetric.Type.HISTOGRAM && l.equals("le"));
        if (!l.isEmpty() && (!LABEL_NAME.matcher(l).matches() || reserved)) {
          problems.add(YamlTree.error(((org.snakeyaml.engine.v2.nodes.SequenceNode) labelsNode).getValue().get(j),
              s.pathOf("labels") + "[" + j + "]", "\"" + l + "\" is not a usable label name",
              "use letters, digits and '_'; \"__\" prefixes and \"le\" on histograms are reserved"));
        }
      }
      out.add(new CustomMetric(name, type, help, labels));
    }
    return out;
  }

  static Set<String> keys(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }
}
