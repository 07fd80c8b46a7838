package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.core.Component;
import io.keikomon.engine.ContainerSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackTest {
  private static ContainerSummary container(String id, String state) {
    return new ContainerSummary(id, "shop-prometheus-" + id, "prom/prometheus", state, Map.of());
  }

  private final Stack stack = new Stack("shop", Path.of("/srv/monitoring"), Path.of("/srv/monitoring/c.yml"),
      List.of("prometheus", "grafana"), Map.of("prometheus", List.of(container("1", "running"),
          container("2", "exited")), "alertmanager", List.of(container("3", "exited"), container("4", "created"))),
      Map.of());

  @Test
  void withTwoContainersForAServiceTheRunningOneSpeaksForIt() {
    assertEquals("1", stack.container("prometheus").orElseThrow().id());
    // none running: the last one found (as the earlier logs command chose)
    assertEquals("4", stack.container("alertmanager").orElseThrow().id());
    assertEquals(Optional.empty(), stack.container("grafana"));
    assertEquals(List.of("alertmanager", "prometheus"), List.copyOf(stack.currentContainers().keySet()));
    assertEquals(4, stack.containers().size());
  }

  @Test
  void componentsAreReachedAtTheRegistryAddressInsideTheProjectNetwork() {
    assertEquals("grafana:3000", stack.endpoint(Component.GRAFANA));
  }
}
