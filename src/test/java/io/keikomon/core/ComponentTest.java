package io.keikomon.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry and the rendered compose file (the golden default tree) describe the same services. */
class ComponentTest {
  private static final Path COMPOSE = Path.of("src/test/resources/golden/default/docker-compose.monitoring.yml");

  /** The lines of one top-level service of the rendered compose file. */
  private static String service(String compose, String name) {
    int start = compose.indexOf("\n  " + name + ":\n");
    assertTrue(start >= 0, name + " is not a service of the rendered file");
    return compose.substring(start + 1).split("\n  [a-z][a-z-]*:\n", 2)[0];
  }

  @Test
  void everyComponentIsAServiceWhoseHealthcheckUsesTheRegisteredPortAndPath() throws Exception {
    String compose = Files.readString(COMPOSE);
    for (Component c : Component.values()) {
      String block = service(compose, c.service());
      String healthUrl = ":" + c.healthPort() + c.healthPath() + "\"]";
      assertTrue(block.contains(healthUrl), c + " healthcheck should end with " + healthUrl + " in\n" + block);
    }
  }

  @Test
  void publishedServicesMapTheirRegisteredContainerPort() throws Exception {
    String compose = Files.readString(COMPOSE);
    for (Component c : new Component[] {Component.PROMETHEUS, Component.ALERTMANAGER, Component.GRAFANA,
        Component.JAEGER}) {
      assertTrue(service(compose, c.service()).matches("(?s).*- \"127\\.0\\.0\\.1:\\d+:" + c.port() + "\".*"),
          c + " should publish container port " + c.port());
    }
  }

  @Test
  void servicesAreLookedUpByTheirComposeName() {
    assertEquals(Optional.of(Component.BLACKBOX_EXPORTER), Component.ofService("blackbox-exporter"));
    assertEquals(Optional.empty(), Component.ofService("backend"));
    assertEquals("nodeExporter", Component.NODE_EXPORTER.modelKey());
    assertEquals("host.docker.internal:9100", Component.NODE_EXPORTER.address());
    assertEquals(Component.Reload.PROVISIONING_API, Component.GRAFANA.reload());
  }
}
