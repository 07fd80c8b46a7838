package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.config.TextFile;
import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.SwarmGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A stack as Docker Swarm runs it: services with replicated (or global) tasks, configs and secrets, one overlay
 * network, all labelled {@code com.docker.stack.namespace=<project>} as {@code docker stack deploy} labels them,
 * so either tool can take over from the other. Deploying goes through the Engine API: objects are created or
 * updated only when their content changed, and Swarm rolls changed services out by their update policy.
 */
public final class SwarmStackRuntime implements StackRuntime {
  private final DockerGateway docker;
  private final Clock clock;
  private final Duration pollEvery;

  public SwarmStackRuntime(DockerGateway docker, Clock clock) {
    this(docker, clock, Duration.ofMillis(500));
  }

  SwarmStackRuntime(DockerGateway docker, Clock clock, Duration pollEvery) {
    this.docker = docker;
    this.clock = clock;
    this.pollEvery = pollEvery;
  }

  /** What one {@link #deploy} changed. */
  public record Deployed(List<String> created, List<String> updated, List<String> unchanged, List<String> removed) {
    public boolean nothingChanged() {
      return created.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }
  }

  /**
   * Swarm mode needs a manager: anything else (not in a swarm, a worker, a swarm in error) ends here, before
   * anything is changed (exit 4).
   */
  public void preflight() {
    SwarmGateway.SwarmInfo info = docker.swarm().swarmInfo();
    String endpoint = docker.info().endpoint();
    if (!info.active()) {
      throw new DockerUnavailableException("the Docker Engine at " + endpoint + " is not in a swarm (state "
          + info.localNodeState() + "), and keiko.yml says mode: swarm",
          "make this engine a one-node swarm with `docker swarm init` (add --advertise-addr <address> when it has"
              + " several), join it to yours with `docker swarm join`, or set mode: compose to run on this engine"
              + " alone");
    }
    if (!info.manager()) {
      throw new DockerUnavailableException("the Docker Engine at " + endpoint + " is a swarm worker; only a manager"
          + " can deploy a stack", "run keiko-mon against a manager (DOCKER_HOST=ssh://<manager>, or on that host);"
          + " `docker node ls` on a manager lists them");
    }
  }

  /** Reads the rendered stack file ({@code env} fills its ${VAR}s, as for docker stack deploy). */
  public static StackFile read(String project, Path stackFile, Map<String, String> env) {
    String text = TextFile.require(TextFile.read(stackFile, stackFile.getFileName().toString()));
    return StackFile.parse(project, stackFile.getFileName().toString(), text, env);
  }

  /**
   * Creates what is missing and updates what changed (network, configs, secrets, services), removes services
   * no longer in the file, then, with {@code wait}, waits until every service has converged: each task running
   * and healthy, no rolling update in progress. Configs and secrets no longer used are removed at the end.
   *
   * @throws UnhealthyException when {@code timeout} passes first, naming each service that did not converge
   */
  public Deployed deploy(StackFile file, Path baseDir, Duration timeout, boolean wait, Consumer<String> progress) {
    return new SwarmDeploy(docker, clock, pollEvery).deploy(file, baseDir, timeout, wait, progress);
  }

  // --- StackRuntime

  @Override
  public Stack find(String project, Path outputDir, Path stackFile) {
    List<String> services = Files.isRegularFile(stackFile)
        ? read(project, stackFile, Map.of()).services().stream().map(s -> s.name().substring(project.length() + 1))
            .toList()
        : List.of();
    Map<String, List<ContainerSummary>> byService = new TreeMap<>();
    for (ContainerSummary c : docker.listContainers(Map.of(StackFile.NAMESPACE, project))) {
      String service = c.label("com.docker.swarm.service.name");
      if (service != null && service.startsWith(project + "_")) {
        byService.computeIfAbsent(service.substring(project.length() + 1), s -> new ArrayList<>()).add(c);
      }
    }
    // by name, <project>_<service>.<slot>.<task id>: the lowest slot speaks for a service (backup names it)
    byService.values().forEach(l -> l.sort(java.util.Comparator.comparing(ContainerSummary::name)));
    return new Stack(project, outputDir, stackFile, services, byService, Map.of());
  }

  /** One line per task (with the node it runs on), the replica counts per service, and Prometheus' targets. */
  @Override
  public StatusReport status(Stack stack) {
    return new SwarmStatus(docker, clock).status(stack, true);
  }

  /** The task rows without Prometheus' targets (doctor reads those itself). */
  @Override
  public StatusReport servicesOnly(Stack stack) {
    return new SwarmStatus(docker, clock).status(stack, false);
  }

  @Override
  public void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException {
    new SwarmLogs(docker).logs(stack, services, tail, follow, out);
  }

  /**
   * Removes the stack's services, waits for their containers to go, then its networks, configs and secrets; the
   * per-replica volumes only when asked (on this node: Swarm leaves a volume on each node a task ran on).
   */
  @Override
  public StackTeardown.Result down(Stack stack, boolean removeVolumes, Consumer<String> progress) {
    return new SwarmTeardown(docker, clock, pollEvery).down(stack, removeVolumes, progress);
  }
}
