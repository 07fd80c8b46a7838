package io.keikomon.stack;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.DockerGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the state of a project's containers from the engine. */
public final class StackStatus {
  private final DockerGateway docker;
  private final Clock clock;

  public StackStatus(DockerGateway docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /**
   * One entry per service: each service that has a container of {@code project}, plus each of
   * {@code expected} (the services of the rendered compose file) that has none, sorted by name.
   */
  public StatusReport status(String project, Collection<String> expected) {
    Map<String, ServiceStatus> byService = new TreeMap<>();
    Instant now = clock.instant();
    // inspected in parallel: each is a round trip to the engine
    List<ServiceStatus> found = docker.listContainers(StackLabels.projectFilter(project)).parallelStream()
        .filter(c -> c.label(ComposeLabels.SERVICE) != null && !"True".equals(c.label(ComposeLabels.ONEOFF)))
        .flatMap(c -> docker.inspectContainer(c.id()).stream()
            .map(d -> ServiceStatus.of(c.label(ComposeLabels.SERVICE), d, now)))
        .toList();
    for (ServiceStatus s : found) {
      byService.merge(s.service(), s, StackStatus::preferRunning);
    }
    for (String service : expected) {
      byService.putIfAbsent(service, ServiceStatus.missing(service));
    }
    return new StatusReport(project, new ArrayList<>(byService.values()));
  }

  /** With two containers for one service (left over from a crash), the running one tells the truth. */
  private static ServiceStatus preferRunning(ServiceStatus a, ServiceStatus b) {
    return a.uptime() != null || b.uptime() == null ? a : b;
  }
}
