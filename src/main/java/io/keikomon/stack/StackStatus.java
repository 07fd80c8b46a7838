package io.keikomon.stack;

import io.keikomon.api.ApiException;
import io.keikomon.api.PrometheusClient;
import io.keikomon.core.Component;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.stack.StatusReport.Target;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the state of a project's containers from the engine. Where Docker still says {@code starting}, the
 * service's own healthcheck is run once ({@link HealthcheckProbe}, as {@code up} does), so {@code status} right after
 * {@code up} agrees with it. Then Prometheus is asked how its scrape targets are doing.
 */
public final class StackStatus {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

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
    List<Target> targets = new ArrayList<>();
    String targetsProblem = targets(stack, targets);
    return new StatusReport(stack.project(), services(stack), targets, targetsProblem);
  }

  /** The same without asking Prometheus for its targets (for doctor, which reads them itself). */
  public List<ServiceStatus> services(Stack stack) {
    Map<String, ServiceStatus> byService = new TreeMap<>();
    Instant now = clock.instant();
    // inspected (and probed) in parallel: each is a round trip to the engine
    List<ServiceStatus> found = stack.containersByService().entrySet().parallelStream()
        .flatMap(e -> e.getValue().stream().flatMap(c -> docker.inspectContainer(c.id()).stream()
            .map(d -> probed(stack, ServiceStatus.of(e.getKey(), d, now), d))))
        .toList();
    for (ServiceStatus s : found) {
      byService.merge(s.service(), s, StackStatus::preferRunning);
    }
    for (String service : stack.services()) {
      byService.putIfAbsent(service, ServiceStatus.missing(service));
    }
    return new ArrayList<>(byService.values());
  }

  private ServiceStatus probed(Stack stack, ServiceStatus s, ContainerDetails c) {
    Optional<List<String>> check = stack.healthcheck(s.service());
    if (!s.awaitingFirstCheck() || check.isEmpty()) {
      return s;
    }
    try {
      return HealthcheckProbe.run(docker, c.id(), check.get(), PROBE_TIMEOUT).exitCode() == 0 ? s.probePassed() : s;
    } catch (DockerOperationException e) {
      return s; // stopped between inspect and exec: Docker's word stands
    }
  }

  /** Fills {@code into} with Prometheus' active targets; returns why they could not be read, or null. */
  String targets(Stack stack, List<Target> into) {
    Optional<ContainerDetails> prometheus = stack.container(Component.PROMETHEUS.service())
        .filter(c -> "running".equals(c.state()))
        .flatMap(c -> docker.inspectContainer(c.id()));
    if (prometheus.isEmpty()) {
      return null;
    }
    try {
      PrometheusClient client = new PrometheusClient(ComponentEndpoints.of(docker, StackAccess.of(stack.outputDir()))
          .transport(prometheus.get(), Component.PROMETHEUS));
      client.targets().activeTargets().stream()
          .map(t -> new Target(t.scrapePool(), t.labels().getOrDefault("instance", t.scrapeUrl()), t.scrapeUrl(),
              t.health(), t.lastError()))
          .sorted(Comparator.comparing(Target::job).thenComparing(Target::instance))
          .forEach(into::add);
      return null;
    } catch (ApiException e) {
      return e.getMessage();
    }
  }

  /** With two containers for one service (left over from a crash), the running one tells the truth. */
  private static ServiceStatus preferRunning(ServiceStatus a, ServiceStatus b) {
    return a.uptime() != null || b.uptime() == null ? a : b;
  }
}
