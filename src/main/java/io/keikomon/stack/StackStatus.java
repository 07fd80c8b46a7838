package io.keikomon.stack;

import io.keikomon.engine.DockerGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
   * One entry per service: each service of {@code stack} that has a container, plus each service its
   * compose file declares that has none, sorted by name.
   */
  public StatusReport status(Stack stack) {
    Map<String, ServiceStatus> byService = new TreeMap<>();
    Instant now = clock.instant();
    // inspected in parallel: each is a round trip to the engine
    List<ServiceStatus> found = stack.containersByService().entrySet().parallelStream()
        .flatMap(e -> e.getValue().stream().flatMap(c -> docker.inspectContainer(c.id()).stream()
            .map(d -> ServiceStatus.of(e.getKey(), d, now))))
        .toList();
    for (ServiceStatus s : found) {
      byService.merge(s.service(), s, StackStatus::preferRunning);
    }
    for (String service : stack.services()) {
      byService.putIfAbsent(service, ServiceStatus.missing(service));
    }
    return new StatusReport(stack.project(), new ArrayList<>(byService.values()));
  }

  /** With two containers for one service (left over from a crash), the running one tells the truth. */
  private static ServiceStatus preferRunning(ServiceStatus a, ServiceStatus b) {
    return a.uptime() != null || b.uptime() == null ? a : b;
  }
}
