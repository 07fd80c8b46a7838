package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.KeikoConfig;
import io.keikomon.render.RenderedTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The rendered rule files: what every alert carries, and that keiko.yml drives them. */
class RenderedAlertRulesTest {
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "none");
  /** A counter or histogram series name not directly followed by a range, i.e. used without rate(). */
  private static final Pattern BARE_COUNTER = Pattern.compile("\\b[a-zA-Z_:]+_(total|bucket|count|sum)(?![\\w:])(\\{[^}]*})?+(?!\\[)");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules(RenderedTree tree, String file) {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(tree.get("prometheus/rules/" + file));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object g : (List<Object>) doc.get("groups")) {
      for (Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
        out.add((Map<String, Object>) r);
      }
    }
    return out;
  }

  private static Map<String, Object> alert(List<Map<String, Object>> rules, String name, String severity) {
    return rules.stream().filter(r -> name.equals(r.get("alert")))
        .filter(r -> severity.equals(((Map<?, ?>) r.get("labels")).get("severity"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + severity + " " + name));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasSeverityServiceSummaryDescriptionAndRunbook() {
    List<Map<String, Object>> alerts = rules(ContentFixtures.render(ContentFixtures.defaults()), "alerts.yml");
    assertTrue(alerts.size() >= 15, "alerts: " + alerts.size());
    for (Map<String, Object> a : alerts) {
      Map<String, Object> labels = (Map<String, Object>) a.get("labels");
      Map<String, Object> annotations = (Map<String, Object>) a.get("annotations");
      String name = (String) a.get("alert");
      assertTrue(SEVERITIES.contains(labels.get("severity")), name + " severity " + labels);
      assertFalse(((String) labels.get("service")).isBlank(), name + " service");
      for (String key : List.of("summary", "description", "runbook", "runbook_url")) {
        assertFalse(((String) annotations.getOrDefault(key, "")).isBlank(), name + " " + key);
      }
    }
  }

  /** runbook_url is alerting.runbook_url#<alert>; docs/runbooks.md has that section with its four parts. */
  @Test
  @SuppressWarnings("unchecked")
  void everyAlertLinksToItsRunbookSectionAndDashboard() throws java.io.IOException {
    String runbooks = java.nio.file.Files.readString(java.nio.file.Path.of("docs/runbooks.md"));
    List<String> sections = List.of(runbooks.split("\n## "));
    for (Map<String, Object> a : rules(ContentFixtures.render(ContentFixtures.defaults()), "alerts.yml")) {
      String name = (String) a.get("alert");
      Map<String, Object> annotations = (Map<String, Object>) a.get("annotations");
      assertEquals("docs/runbooks.md#" + name.toLowerCase(java.util.Locale.ROOT), annotations.get("runbook_url"), name);
      String section = sections.stream().filter(x -> x.startsWith(name + "\n")).findFirst()
          .orElseThrow(() -> new AssertionError("docs/runbooks.md has no section ## " + name));
      for (String part : List.of("**What it means.**", "**How to confirm.**", "**What to do.**", "**doctor symptom.**")) {
        assertTrue(section.contains(part), name + " runbook lacks " + part);
      }
      assertTrue(section.matches("(?s).*\\*\\*doctor symptom\\.\\*\\* `(metrics|no-data|alerts)`.*"), name);
      String dashboard = (String) annotations.get("dashboard_url");
      assertTrue(dashboard.equals("http://127.0.0.1:3001/d/keiko-backend")
          || dashboard.equals("http://127.0.0.1:3001/d/keiko-infrastructure"), name + " " + dashboard);
    }
  }

  @Test
  void documentedAlertsExistWithTheirSeverities() {
    List<Map<String, Object>> alerts = rules(ContentFixtures.render(ContentFixtures.defaults()), "alerts.yml");
    for (String critical : List.of("KeikoBackendDown", "PostgresDown", "RedisDown", "MonitoringComponentDown",
        "KeikoHighErrorRate", "HostHighCpuUsage", "HostHighMemoryUsage", "HostHighDiskUsage")) {
      alert(alerts, critical, "critical");
    }
    for (String warning : List.of("KeikoHighLatencyP95", "HostHighCpuUsage", "HostHighMemoryUsage",
        "HostHighDiskUsage", "KeikoAgentRegistrationFailures", "KeikoHealthProbeFailing")) {
      alert(alerts, warning, "warning");
    }
    assertEquals("vector(1)", alert(alerts, "Watchdog", "none").get("expr"));
    // Grafana and Jaeger down do not page; a hanging process (liveness) does, readiness only warns
    assertEquals("up{job=~\"prometheus|alertmanager\"} == 0", alert(alerts, "MonitoringComponentDown", "critical").get("expr"));
    assertTrue(((String) alert(alerts, "MonitoringComponentDown", "warning").get("expr")).startsWith("up{job=~\"grafana|jaeger|"));
    assertEquals("probe_success{path=~\".*/live\"} == 0", alert(alerts, "KeikoHealthProbeFailing", "critical").get("expr"));
    assertEquals("probe_success{path!~\".*/live\"} == 0", alert(alerts, "KeikoHealthProbeFailing", "warning").get("expr"));
  }

  @Test
  void thresholdsAndDurationsComeFromKeikoYml() {
    KeikoConfig config = ContentFixtures.config("""
        alerts:
          error_rate: {critical: 0.25, for: 7m}
          cpu: {warning: 0.65, critical: 0.85, for: 3m}
          latency_p95: {warning: 2.5, for: 20m}
          service_down: {for: 45s}
        """);
    List<Map<String, Object>> alerts = rules(ContentFixtures.render(config), "alerts.yml");
    Map<String, Object> errors = alert(alerts, "KeikoHighErrorRate", "critical");
    assertEquals("job:http_requests_5xx:ratio_rate5m > 0.25 and on (job) job:http_requests:rate5m >= 0.1",
        errors.get("expr"));
    assertEquals("7m", errors.get("for"));
    assertEquals("instance:node_cpu_utilisation:ratio_rate5m > 0.65", alert(alerts, "HostHighCpuUsage", "warning").get("expr"));
    assertEquals("instance:node_cpu_utilisation:ratio_rate5m > 0.85", alert(alerts, "HostHighCpuUsage", "critical").get("expr"));
    assertEquals("3m", alert(alerts, "HostHighCpuUsage", "critical").get("for"));
    assertEquals("job:http_request_duration_seconds:p95_5m > 2.5 and on (job) job:http_request_duration_seconds_count:rate5m"
        + " >= 0.1", alert(alerts, "KeikoHighLatencyP95", "warning").get("expr"));
    assertEquals("45s", alert(alerts, "KeikoBackendDown", "critical").get("for"));
  }

  @Test
  void onlyEnabledComponentsGetAlerts() {
    KeikoConfig config = ContentFixtures.config("""
        postgres: {enabled: false}
        redis: {enabled: false}
        components: {node-exporter: false, blackbox-exporter: false, alertmanager: false}
        """);
    RenderedTree tree = ContentFixtures.render(config);
    String all = tree.get("prometheus/rules/alerts.yml") + tree.get("prometheus/rules/recording.yml");
    for (String gone : List.of("PostgresDown", "RedisDown", "HostHigh", "KeikoHealthProbeFailing", "pg_", "redis_",
        "node_", "probe_success", "alertmanager|")) {
      assertFalse(all.contains(gone), gone + " still rendered");
    }
    assertTrue(all.contains("up{job=~\"prometheus\"} == 0"), all);
    assertTrue(all.contains("up{job=~\"grafana|jaeger\"} == 0"), all);
  }

  @Test
  void noCounterWithoutRateAndNoAbsent() {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.config(ContentFixtures.CUSTOM_METRICS));
    for (String file : List.of("alerts.yml", "recording.yml")) {
      for (Map<String, Object> r : rules(tree, file)) {
        String expr = (String) r.get("expr");
        // The one raw use: "X unless X offset w" finds failure series that appeared within the window.
        // pg_stat_activity_count is a gauge (the catalogue says so) despite its name.
        Matcher m = BARE_COUNTER.matcher(expr.replaceAll(
            "\\(([a-z_]+_total\\{[^}]*}) unless \\1 offset \\w+\\)", "(new_series)")
            .replace("pg_stat_activity_count", "pg_stat_activity_gauge"));
        assertFalse(m.find(), "counter without rate() in " + r.get("alert") + r.get("record") + ": " + expr);
        assertFalse(expr.contains("absent("), expr);
      }
    }
  }

  @Test
  void backendLabelNamesComeFromKeikoYml() {
    KeikoConfig config = ContentFixtures.config(
        "backend: {labels: {method: verb, route: path, status: code, operation: op, result: outcome}}\n");
    String recording = ContentFixtures.render(config).get("prometheus/rules/recording.yml");
    assertTrue(recording.contains("http_requests_total{code=~\"5..\"}"), recording);
    assertTrue(recording.contains("sum by (job, instance, path)"), recording);
    assertTrue(recording.contains("agent_operations_total{op=\"register\", outcome=~\"failure|error\"}"), recording);
  }
}
