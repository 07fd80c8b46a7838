package io.keikomon.docker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
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
    for (ContainerSummary c : docker.listContainers(StackLabels.projectFilter(project))) {
      String service = c.label(ComposeLabels.SERVICE);
      if (service == null || "True".equals(c.label(ComposeLabels.ONEOFF))) {
        continue;
      }
      docker.inspectContainer(c.id()).ifPresent(d -> byService.merge(service,
          ServiceStatus.of(service, d, clock.instant()), StackStatus::preferRunning));
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
