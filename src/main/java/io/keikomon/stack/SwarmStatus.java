package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.SwarmGateway.SwarmTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code status} of a swarm stack: one row per task with the node it runs on (Swarm's own task states), a row for
 * each service short of its replicas, the REPLICAS table, and Prometheus' targets.
 */
final class SwarmStatus {
  private final DockerGateway docker;
  private final Clock clock;

  SwarmStatus(DockerGateway docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /** @param withTargets also Prometheus' targets (doctor reads those itself) */
  StatusReport status(Stack stack, boolean withTargets) {
    SwarmGateway swarm = docker.swarm();
    Map<String, String> nodes = swarm.nodeNames();
    Instant now = clock.instant();
    List<ServiceStatus> rows = new ArrayList<>();
    List<StatusReport.Replicas> replicas = new ArrayList<>();
    Map<String, SwarmService> found = new TreeMap<>();
    swarm.listServices(Map.of(StackFile.NAMESPACE, stack.project()))
        .forEach(s -> found.put(s.name().substring(stack.project().length() + 1), s));
    Set<String> all = new java.util.TreeSet<>(found.keySet());
    all.addAll(stack.services());
    for (String service : all) {
      SwarmService s = found.get(service);
      if (s == null) {
        rows.add(ServiceStatus.missing(service));
        continue;
      }
      List<SwarmTask> tasks = swarm.listTasks(s.id()).stream().filter(SwarmTask::current)
          .sorted(java.util.Comparator.comparingInt(SwarmTask::slot)).toList();
      int running = (int) tasks.stream().filter(SwarmTask::running).count();
      int desired = s.global() ? -1 : s.replicas();
      List<String> taskNodes = tasks.stream().map(t -> nodes.getOrDefault(t.nodeId(), t.nodeId()))
          .filter(n -> !n.isEmpty()).distinct().toList();
      replicas.add(new StatusReport.Replicas(service, running, desired, taskNodes));
      String image = s.labels().getOrDefault(StackFile.IMAGE_LABEL, null);
      for (SwarmTask t : tasks) {
        String node = nodes.getOrDefault(t.nodeId(), t.nodeId().isEmpty() ? "(no node)" : t.nodeId());
        String name = (s.global() ? service : service + "." + t.slot()) + " on " + node;
        Duration uptime = t.running() && t.since() != null && !t.since().isAfter(now) ? Duration.between(t.since(), now)
            : null;
        String problem = t.running() ? null
            : t.state() + (t.error().isEmpty() ? (t.message().isEmpty() ? "" : ": " + t.message()) : ": " + t.error());
        // Swarm holds a task with a healthcheck in "starting" until it passes: running means healthy
        rows.add(new ServiceStatus(service, name, t.state(), t.running() ? "healthy" : t.state(), List.of(), uptime,
            image, problem, false));
      }
      if (desired >= 0 && running < desired) {
        rows.add(new ServiceStatus(service, null, ServiceStatus.MISSING, ServiceStatus.NO_HEALTHCHECK, List.of(), null,
            image, running + " of " + desired + " replicas running", false));
      }
    }
    List<StatusReport.Target> targets = new ArrayList<>();
    String targetsProblem = withTargets ? new StackStatus(docker, clock).targets(stack, targets) : null;
    return new StatusReport(stack.project(), rows, targets, targetsProblem, replicas);
  }
}
