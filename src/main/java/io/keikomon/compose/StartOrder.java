package io.keikomon.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Services grouped in start waves by {@code depends_on}: every service comes after all services it depends on;
 * services in one wave do not depend on each other and may start in parallel.
 */
public record StartOrder(List<List<String>> waves) {
  public StartOrder {
    waves = waves.stream().map(List::copyOf).toList();
  }

  /** @throws IllegalArgumentException naming the services of a dependency cycle */
  public static StartOrder of(Map<String, ComposeModel.Service> services) {
    Map<String, TreeSet<String>> pending = new LinkedHashMap<>();
    services.forEach((name, s) -> {
      TreeSet<String> deps = new TreeSet<>(s.dependsOn().keySet());
      deps.retainAll(services.keySet());
      pending.put(name, deps);
    });
    List<List<String>> waves = new ArrayList<>();
    while (!pending.isEmpty()) {
      List<String> wave = pending.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
          .sorted().toList();
      if (wave.isEmpty()) {
        throw new IllegalArgumentException("depends_on has a cycle between " + String.join(", ", new TreeSet<>(pending.keySet())));
      }
      wave.forEach(pending::remove);
      pending.values().forEach(d -> wave.forEach(d::remove));
      waves.add(wave);
    }
    return new StartOrder(waves);
  }

  /** All services, dependencies first. */
  public List<String> flat() {
    return waves.stream().flatMap(List::stream).toList();
  }
}
