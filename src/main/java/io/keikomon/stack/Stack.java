package io.keikomon.stack;

import io.keikomon.core.Component;
import io.keikomon.engine.ContainerSummary;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One running (or stopped, or not yet started) project as the commands after {@code render} see it, built once
 * by a {@link StackRuntime}: the project, where its rendered files are, the services its compose file declares
 * and the containers found for each service.
 *
 * @param services the services of the rendered compose file (empty when nothing is rendered yet)
 * @param containersByService the project's containers (one-off containers left out), by compose service
 * @param healthchecks each service's healthcheck command from the compose file ({@code CMD ...}/{@code CMD-SHELL ...})
 */
public record Stack(String project, Path outputDir, Path composeFile, List<String> services,
    Map<String, List<ContainerSummary>> containersByService, Map<String, List<String>> healthchecks) {

  public Stack {
    services = List.copyOf(services);
    healthchecks = Map.copyOf(healthchecks);
    Map<String, List<ContainerSummary>> copy = new TreeMap<>();
    containersByService.forEach((service, containers) -> copy.put(service, List.copyOf(containers)));
    containersByService = Collections.unmodifiableMap(copy);
  }

  /** The container that speaks for {@code service}: with two (left over from a crash) the running one. */
  public Optional<ContainerSummary> container(String service) {
    List<ContainerSummary> all = containersByService.getOrDefault(service, List.of());
    return all.stream().filter(c -> "running".equals(c.state())).findFirst().or(() -> all.stream().reduce((a, b) -> b));
  }

  /** {@link #container} of every service that has one, by service name. */
  public Map<String, ContainerSummary> currentContainers() {
    Map<String, ContainerSummary> current = new TreeMap<>();
    containersByService.keySet().forEach(s -> container(s).ifPresent(c -> current.put(s, c)));
    return current;
  }

  /** The healthcheck command the compose file gives {@code service}, if it has one. */
  public Optional<List<String>> healthcheck(String service) {
    return Optional.ofNullable(healthchecks.get(service));
  }

  /** Every container of the project, in service order. */
  public List<ContainerSummary> containers() {
    return containersByService.values().stream().flatMap(List::stream).toList();
  }

  /** Where the other containers of the project reach {@code component} ({@code host:port}). */
  public String endpoint(Component component) {
    return component.address();
  }
}
