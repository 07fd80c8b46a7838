package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeParser;
import io.keikomon.render.RenderedTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What keiko-mon renders for Jaeger's persistent storage: a v2 config with badger on a named volume, the
 * retention from keiko.yml. Jaeger itself cannot run here (the test image is a stand-in), so that Jaeger 2.10
 * accepts this config and keeps spans across a restart is NOT proven by this test.
 */
class JaegerStorageTest {
  private static final Path COMPOSE = Path.of("/srv/keiko/monitoring/docker-compose.monitoring.yml");

  private static ComposeModel compose(RenderedTree tree) {
    return new ComposeParser(Map.of()).parse(COMPOSE, "monitoring/docker-compose.monitoring.yml",
        tree.get("docker-compose.monitoring.yml"), "keiko").model();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> badger(RenderedTree tree) {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(tree.get("jaeger/config.yaml"));
    Map<String, Object> ext = (Map<String, Object>) doc.get("extensions");
    Map<String, Object> storage = (Map<String, Object>) ext.get("jaeger_storage");
    Map<String, Object> backends = (Map<String, Object>) storage.get("backends");
    return (Map<String, Object>) ((Map<String, Object>) backends.get("keiko_store")).get("badger");
  }

  @Test
  void jaegerKeepsSpansInBadgerOnANamedVolumeForTheConfiguredRetention() {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.config("tracing: {retention: 7d}\n"));
    Map<String, Object> badger = badger(tree);
    assertEquals(false, badger.get("ephemeral"));
    assertEquals(Map.of("spans", "168h"), badger.get("ttl"), "7d as a Go duration");
    assertEquals(Map.of("keys", "/tmp/jaeger/keys", "values", "/tmp/jaeger/values"), badger.get("directories"));

    ComposeModel m = compose(tree);
    ComposeModel.Service jaeger = m.service("jaeger");
    assertEquals(List.of("--config", "/etc/jaeger/config.yaml"), jaeger.command().orElseThrow());
    assertTrue(jaeger.mounts().contains(new Mount(MountType.VOLUME, "jaeger-data", "/tmp", false, "")),
        jaeger.mounts().toString());
    assertTrue(jaeger.mounts().stream().anyMatch(x -> x.type() == MountType.BIND && x.target().equals("/etc/jaeger")
        && x.readOnly()), jaeger.mounts().toString());
    assertEquals("keiko_jaeger-data", m.volumeName("jaeger-data"), "a project volume, which `down` keeps");
  }

  @Test
  void theDefaultRetentionIs72HoursAndOddDurationsStayExact() {
    assertEquals("72h", badger(ContentFixtures.render(ContentFixtures.defaults())).get("ttl") instanceof Map<?, ?> t
        ? t.get("spans") : null);
    assertEquals("5400s", ContentFixtures.config("tracing: {retention: 1h30m}\n").tracing().retentionGo());
  }

  @Test
  void withoutTracingThereIsNoJaegerConfigAndNoVolume() {
    RenderedTree tree = ContentFixtures.render(ContentFixtures.config("tracing: {enabled: false}\n"));
    assertFalse(tree.files().containsKey("jaeger/config.yaml"));
    assertFalse(compose(tree).volumes().containsKey("jaeger-data"));
  }
}
