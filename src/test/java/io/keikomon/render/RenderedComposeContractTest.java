package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.compose.ComposeParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `up` reads the rendered compose file with its own parser: it must honour every key render writes. */
class RenderedComposeContractTest {

  @Test
  void upsComposeParserTakesTheRenderedDefaultWithoutAnyProblem() {
    KeikoConfig cfg = ConfigLoader.defaults();
    RenderedTree tree = Renderer.render(cfg, RenderFixtures.allSecrets(), null);

    ComposeParser.Result result = new ComposeParser(Map.of()).parse(
        Path.of("/project/monitoring", RenderPlan.COMPOSE_FILE), "monitoring/" + RenderPlan.COMPOSE_FILE,
        tree.get(RenderPlan.COMPOSE_FILE), cfg.project());

    assertEquals(List.of(), result.warnings());
    assertEquals(Set.of("prometheus", "alertmanager", "grafana", "jaeger", "node-exporter", "postgres-exporter",
        "redis-exporter", "blackbox-exporter"), result.model().services().keySet());
    assertEquals("keiko-prometheus", result.model().service("prometheus").containerName());
  }
}
