package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.KeikoConfig.CustomMetric;
import io.keikomon.testing.TestWorkspaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading keiko.yml over the embedded default: what a user gets when nothing is wrong. */
class ConfigLoaderTest {

  @Test
  void withoutKeikoYmlTheEmbeddedDefaultApplies() {
    LoadedConfig loaded = ConfigLoader.load(TestWorkspaces.jimfs());
    assertEquals(LoadedConfig.EMBEDDED_DEFAULT, loaded.source());
    assertEquals(List.of(), loaded.warnings());
    KeikoConfig c = loaded.config();
    assertEquals(1, c.version());
    assertEquals("keiko", c.project());
    assertEquals("monitoring", c.output());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(new KeikoConfig.Ports(3001, 9090, 9093, 16686, 4317, 4318), c.ports());
    assertEquals("prom/node-exporter:v1.9.1", c.images().nodeExporter());
    assertEquals(new KeikoConfig.PrometheusSettings("15d", "10GB", "15s", "15s"), c.prometheus());
    assertEquals(2L << 30, c.resources().memory("prometheus"));
    assertEquals(128L << 20, c.resources().memory("blackbox-exporter"));
    assertEquals(List.of("host.docker.internal:8000"), c.backend().targets());
    assertEquals(List.of("/health", "/health/live", "/health/ready"), c.backend().healthPaths());
    assertEquals("endpoint", c.backend().labels().route());
    assertEquals("#keiko-alerts", c.alerting().slack().channel());
    assertEquals(new KeikoConfig.Threshold(0.80, 0.90, "10m", null), c.alerts().cpu());
    assertEquals(new KeikoConfig.Threshold(null, null, "1m", null), c.alerts().serviceDown());
    assertTrue(c.postgres().enabled());
    assertEquals(List.of(), c.extraTargets());
    assertEquals(c, ConfigLoader.defaults());
  }

  @Test
  void aKeikoYamlThatIsNotReadIsAWarning() throws java.io.IOException {
    var ws = TestWorkspaces.jimfs();
    java.nio.file.Files.writeString(ws.dir().resolve("keiko.yaml"), "project: shop\n");
    LoadedConfig loaded = ConfigLoader.load(ws);
    assertEquals("keiko", loaded.config().project());
    assertEquals(List.of("keiko.yaml: warning: is not read; the embedded default applies (hint: rename it to"
        + " keiko.yml)"), loaded.warnings().stream().map(Problem::render).toList());
  }

  @Test
  void emptyOrCommentOnlyKeikoYmlMeansDefaults() {
    for (String text : List.of("", "# nothing here yet\n", "---\n")) {
      LoadedConfig loaded = ConfigLoader.load(TestWorkspaces.withConfig(text));
      assertEquals("keiko.yml", loaded.source());
      assertEquals(ConfigLoader.defaults(), loaded.config(), text);
    }
  }

  @Test
  void mapsMergeKeyByKeyAndListsReplace() {
    KeikoConfig c = ConfigLoader.load(TestWorkspaces.withConfig("""
        ports:
          grafana: 3300
        backend:
          targets: [api-1:8000, api-2:8000]
          health_paths: [/healthz]
        alerts:
          cpu: {critical: 0.95}
          memory: {warning: null}
        """)).config();
    assertEquals(new KeikoConfig.Ports(3300, 9090, 9093, 16686, 4317, 4318), c.ports());
    assertEquals(List.of("api-1:8000", "api-2:8000"), c.backend().targets());
    assertEquals(List.of("/healthz"), c.backend().healthPaths());
    assertEquals("/metrics", c.backend().metricsPath(), "untouched sibling keeps its default");
    assertEquals(new KeikoConfig.Threshold(0.80, 0.95, "10m", null), c.alerts().cpu());
    assertNull(c.alerts().memory().warning(), "null switches a default severity off");
    assertEquals(0.90, c.alerts().memory().critical());
  }

  @Test
  void extraTargetsAndCustomMetricsAreMappedWithTheirDefaults() {
    KeikoConfig c = ConfigLoader.load(TestWorkspaces.withConfig("""
        extra_targets:
          - {job: worker, targets: ["host.docker.internal:9200"]}
          - {job: edge, targets: ["edge:443"], metrics_path: /m, scheme: https}
        custom_metrics:
          - {name: custom_operations_total, type: counter, help: "Custom operations", labels: [operation]}
          - {name: custom_duration_seconds, type: histogram}
        """)).config();
    assertEquals(List.of(new KeikoConfig.ScrapeTarget("worker", List.of("host.docker.internal:9200"), "/metrics", "http"),
        new KeikoConfig.ScrapeTarget("edge", List.of("edge:443"), "/m", "https")), c.extraTargets());
    assertEquals(List.of(new CustomMetric("custom_operations_total", CustomMetric.Type.COUNTER, "Custom operations",
        List.of("operation")), new CustomMetric("custom_duration_seconds", CustomMetric.Type.HISTOGRAM, "", List.of())),
        c.customMetrics());
  }

  @Test
  void unpinnedImageIsAWarningNotAnError() {
    LoadedConfig loaded = ConfigLoader.load(TestWorkspaces.withConfig("images:\n  grafana: grafana/grafana:latest\n"));
    assertEquals(List.of("keiko.yml:2:12: warning: images.grafana: \"grafana/grafana:latest\" is not pinned to a version"
        + " (hint: add a version tag so every start runs the same image)"),
        loaded.warnings().stream().map(Problem::render).toList());
  }

  @Test
  void customMetricNamesThatPanelsWouldMissAreWarnings() {
    LoadedConfig loaded = ConfigLoader.load(TestWorkspaces.withConfig("""
        custom_metrics:
          - {name: jobs_done, type: counter}
          - {name: job_seconds_bucket, type: histogram}
        """));
    assertEquals(List.of(
        "keiko.yml:2:12: warning: custom_metrics[0].name: counter \"jobs_done\" does not end in _total (hint: client"
            + " libraries expose counters as <name>_total; write the name as /metrics shows it)",
        "keiko.yml:3:12: warning: custom_metrics[1].name: histogram \"job_seconds_bucket\" ends in a series suffix"
            + " (hint: write the base name (without _bucket, _sum or _count); the panels add the suffixes)"),
        loaded.warnings().stream().map(Problem::render).toList());
  }

  @Test
  void malformedYamlIsOneProblemWithTheParsersPosition() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(TestWorkspaces.withConfig("ports:\n  grafana: 3001\n prometheus: 9090\n")));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).render().startsWith("keiko.yml:3:2: ports.prometheus: malformed YAML: "), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }
}
