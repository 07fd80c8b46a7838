package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The keiko.yml files under examples/ load without a single problem and say what their folder name
 * promises. (The oracle tests render each of them and run promtool/amtool on the result.)
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");

  private static LoadedConfig load(String example) throws IOException {
    LoadedConfig loaded = ConfigLoader.load(
        TestWorkspaces.withConfig(Files.readString(EXAMPLES.resolve(example).resolve("keiko.yml"))));
    assertEquals(List.of(), loaded.warnings(), example);
    return loaded;
  }

  @Test
  void everyExampleLoadsWithoutWarnings() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      List<String> names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.containsAll(List.of("custom-metrics", "minimal", "no-tracing", "several-backends", "slack")),
          names::toString);
      for (String name : names) {
        load(name);
      }
    }
  }

  @Test
  void minimalIsBackendOnly() throws IOException {
    KeikoConfig c = load("minimal").config();
    assertFalse(c.postgres().enabled() || c.redis().enabled() || c.tracing().enabled());
    assertFalse(c.components().nodeExporter() || c.components().blackboxExporter());
  }

  @Test
  void noTracingOnlyDropsJaeger() throws IOException {
    KeikoConfig c = load("no-tracing").config();
    assertFalse(c.tracing().enabled());
    assertTrue(c.postgres().enabled() && c.redis().enabled());
  }

  @Test
  void severalBackends() throws IOException {
    assertEquals(3, load("several-backends").config().backend().targets().size());
  }

  @Test
  void customMetricsAndExtraTargets() throws IOException {
    KeikoConfig c = load("custom-metrics").config();
    assertEquals(3, c.customMetrics().size());
    assertEquals(List.of("worker", "edge-proxy"),
        c.extraTargets().stream().map(KeikoConfig.ScrapeTarget::job).toList());
  }

  @Test
  void slackChannelAndTighterErrorAlerts() throws IOException {
    Workspace ws = TestWorkspaces.withConfig(Files.readString(EXAMPLES.resolve("slack/keiko.yml")));
    KeikoConfig c = ConfigLoader.load(ws).config();
    assertEquals("#keiko-oncall", c.alerting().slack().channel());
    assertEquals(new KeikoConfig.Threshold(0.02, 0.05, "5m", 0.1), c.alerts().errorRate());
  }
}
