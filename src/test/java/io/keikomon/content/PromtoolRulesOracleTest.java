package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.KeikoConfig;
import io.keikomon.render.RenderedTree;
import io.keikomon.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real promtool (Debian's 2.42, see environment.md) checks the rendered rules and runs the rendered unit
 * tests, for the default keiko.yml and for configurations with other thresholds, durations, label names and
 * components; and the rendered tests must fail against rules rendered with other thresholds.
 */
@Tag("oracle")
class PromtoolRulesOracleTest {
  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("defaults", ""),
        Arguments.of("changed thresholds and durations", """
            alerts:
              service_down: {for: 3m}
              error_rate: {warning: 0.02, critical: 0.25, for: 2m}
              latency_p95: {warning: 0.3, critical: 2.5, for: 90s}
              cpu: {warning: 0.6, critical: 0.95, for: 1m}
              memory: {warning: 0.5, for: 15m}
              disk: {critical: 0.97, for: 30s}
              agent_registration_failures: {warning: 0.5, for: 1m}
              health_probe: {for: 5m}
            """),
        Arguments.of("other label names, custom metrics, no postgres/redis/node-exporter", """
            backend:
              labels: {method: verb, route: path, status: code, operation: op, result: outcome}
            postgres: {enabled: false}
            redis: {enabled: false}
            components: {node-exporter: false}
            """ + ContentFixtures.CUSTOM_METRICS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void renderedRulesPassPromtoolCheckAndTheirUnitTests(String name, String yaml, @TempDir Path dir) {
    KeikoConfig config = ContentFixtures.config(yaml);
    Path out = ContentFixtures.writeTo(ContentFixtures.render(config), dir);
    Path prometheus = out.resolve("prometheus");

    Tool check = Tool.run(prometheus, "promtool", "check", "rules", "rules/recording.yml", "rules/alerts.yml");
    assertEquals(0, check.exitCode(), check.output());
    Tool test = Tool.run(prometheus, "promtool", "test", "rules", "tests/alerts.test.yml");
    assertEquals(0, test.exitCode(), test.output());
    assertTrue(test.output().contains("SUCCESS"), test.output());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void everyAlertHasAFiringAndAQuietCase(String name, String yaml) {
    MonitoringContent content = MonitoringContent.from(ContentFixtures.config(yaml));
    Map<String, Integer> firing = new HashMap<>();
    Map<String, Integer> quiet = new HashMap<>();
    for (AlertTestCase c : content.alertTests()) {
      (c.fires() ? firing : quiet).merge(c.alertname(), 1, Integer::sum);
    }
    Set<String> alerts = new HashSet<>();
    content.alertGroups().forEach(g -> g.rules().forEach(r -> alerts.add(r.name())));
    for (String alert : alerts) {
      assertTrue(firing.getOrDefault(alert, 0) >= 1, alert + " has no case where it fires");
      if (!alert.equals("Watchdog")) { // always fires by design; its two cases both fire
        assertTrue(quiet.getOrDefault(alert, 0) >= 1, alert + " has no case where it must stay quiet");
      }
      assertTrue(firing.getOrDefault(alert, 0) + quiet.getOrDefault(alert, 0) >= 2, alert + " has fewer than 2 cases");
    }
  }

  /** Tests generated for one set of thresholds must catch rules generated with another. */
  @Test
  void renderedTestsFailAgainstRulesWithOtherThresholds(@TempDir Path dir) throws Exception {
    RenderedTree expected = ContentFixtures.render(ContentFixtures.config(
        "alerts: {cpu: {warning: 0.8, critical: 0.9, for: 10m}}\n"));
    RenderedTree drifted = ContentFixtures.render(ContentFixtures.config(
        "alerts: {cpu: {warning: 0.78, critical: 0.9, for: 10m}}\n"));
    Path out = ContentFixtures.writeTo(drifted, dir);
    Files.writeString(out.resolve("prometheus/tests/alerts.test.yml"), expected.get("prometheus/tests/alerts.test.yml"));

    Tool test = Tool.run(out.resolve("prometheus"), "promtool", "test", "rules", "tests/alerts.test.yml");

    assertNotEquals(0, test.exitCode(), test.output());
    assertTrue(test.output().contains("alertname: HostHighCpuUsage"), test.output());
  }
}
