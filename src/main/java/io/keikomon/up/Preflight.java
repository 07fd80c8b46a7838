package io.keikomon.up;

import io.keikomon.compose.ComposeModel;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.PullListener;

import io.keikomon.core.OperationFailedException;
import io.keikomon.compose.ComposeModel.Port;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.up.Plan.Action;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Checks made before {@code up} touches anything, so that a stack is never left half-replaced: host ports free,
 * container names free, images present (pulled when missing), host-gateway supported. Every problem found is
 * reported together.
 */
public final class Preflight {
  private final DockerGateway docker;
  private final EngineInfo engine;
  private final boolean engineLocal;

  Preflight(DockerGateway docker, EngineInfo engine, boolean engineLocal) {
    this.docker = docker;
    this.engine = engine;
    this.engineLocal = engineLocal;
  }

  /**
   * @param imagesToPull images missing locally; pulled here with progress lines through {@code progress}
   * @throws OperationFailedException listing every problem, each with what to do
   */
  void check(ComposeModel model, Plan plan, List<ContainerDetails> observed, Set<String> imagesToPull,
      Consumer<String> progress) {
    List<String> problems = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    for (Plan.Step step : plan.steps()) {
      Service s = model.service(step.service());
      if (step.action() != Action.CREATE && step.action() != Action.RECREATE) {
        continue;
      }
      if (s.extraHosts().stream().anyMatch(h -> h.endsWith(":host-gateway")) && !engine.supportsHostGateway()) {
        problems.add("service " + s.name() + " maps a host to `host-gateway`, which Docker Engine " + engine.version()
            + " does not support (it needs 20.10 or later)");
        hints.add("upgrade Docker Engine, or replace host-gateway in extra_hosts with the host's address");
      }
      if (step.action() == Action.CREATE) {
        docker.inspectContainer(s.containerName())
            .filter(c -> !model.project().equals(c.label(ComposeLabels.PROJECT)))
            .ifPresent(c -> {
              problems.add("container name " + s.containerName() + " (service " + s.name() + ") is taken by another"
                  + " container (" + c.id().substring(0, Math.min(12, c.id().length())) + ")");
              hints.add("remove it (`docker rm -f " + s.containerName() + "`) or set container_name in the compose file");
            });
      }
      if (s.onProjectNetwork()) {
        Optional<ContainerDetails> old = observed.stream().filter(c -> c.id().equals(step.containerId())).findFirst();
        for (Port p : s.ports()) {
          boolean ownedByOld = old.map(c -> c.ports().stream().anyMatch(x -> x.hostPort() == p.published()))
              .orElse(false);
          if (p.published() > 0 && !ownedByOld && engineLocal && !free(p)) {
            problems.add("host port " + p.published() + (p.hostIp().isEmpty() ? "" : " on " + p.hostIp())
                + " (service " + s.name() + ") is already in use" + holder(p.published()));
            hints.add("stop what uses port " + p.published() + ", or publish " + s.name() + " on another port"
                + " (keiko.yml `ports:`)");
          }
        }
      }
    }
    List<String> unpullable = new ArrayList<>();
    String example = null;
    for (String image : new TreeSet<>(imagesToPull)) {
      try {
        progress.accept("pulling " + image);
        docker.pullImage(image, new PullProgress(image, progress));
        progress.accept("pulled " + image);
      } catch (RuntimeException e) {
        List<String> users = model.services().values().stream().filter(s -> s.image().equals(image))
            .map(Service::name).toList();
        problems.add("image " + image + " (" + String.join(", ", users) + ") is not present and could not be pulled: "
            + e.getMessage());
        unpullable.add(users.get(0));
        if (example == null) {
          example = "`images: {" + users.get(0) + ": registry.example.com/" + image + "}`";
        }
      }
    }
    if (!unpullable.isEmpty()) {
      // One hint for all of them: the remedy is the same, only the keys differ.
      hints.add("point " + String.join(", ", unpullable.stream().map(u -> "images." + u).toList())
          + " in keiko.yml at a mirror or a local tag, e.g. " + example + ", then run `keiko-mon up`");
    }
    if (!problems.isEmpty()) {
      throw new OperationFailedException("cannot start the stack; nothing was changed:\n  - "
          + String.join("\n  - ", problems), String.join("; ", new java.util.LinkedHashSet<>(hints)));
    }
  }

  private static boolean free(Port p) {
    String ip = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(ip, p.published()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** ", by container NAME" when a container of this engine publishes the port. */
  private String holder(int port) {
    for (ContainerSummary c : docker.listContainers(Map.of())) {
      if (!"running".equals(c.state())) {
        continue;
      }
      Optional<ContainerDetails> d = docker.inspectContainer(c.id());
      if (d.isPresent() && d.get().ports().stream().anyMatch(p -> p.hostPort() == port)) {
        return ", by container " + d.get().name();
      }
    }
    return "";
  }

  /** Turns the engine's pull messages into a few readable lines: one per layer when it completes. */
  private record PullProgress(String image, Consumer<String> out) implements PullListener {
    @Override
    public void progress(String layer, String status, long current, long total) {
      if (layer != null && ("Pull complete".equals(status) || "Already exists".equals(status))) {
        out.accept("pulling " + image + ": layer " + layer + " " + status.toLowerCase(java.util.Locale.ROOT));
      }
    }
  }
}
