package io.keikomon.stack;

import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.VolumeInfo;

import io.keikomon.core.OperationFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code down}: stops and removes a project's containers, then its networks; its volumes (the metrics,
 * dashboards and silences users keep) only when asked. Everything is found by the Compose project label,
 * so a stack started by docker-compose with the same project name goes too.
 */
public final class StackTeardown {
  /** What Compose waits for a container to stop before killing it. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /** What was removed and what was kept. */
  public record Result(List<String> containers, List<String> networks, List<String> removedVolumes,
      List<String> keptVolumes) {
    public Result {
      containers = List.copyOf(containers);
      networks = List.copyOf(networks);
      removedVolumes = List.copyOf(removedVolumes);
      keptVolumes = List.copyOf(keptVolumes);
    }

    public boolean nothingFound() {
      return containers.isEmpty() && networks.isEmpty() && removedVolumes.isEmpty() && keptVolumes.isEmpty();
    }
  }

  private final DockerGateway docker;

  public StackTeardown(DockerGateway docker) {
    this.docker = docker;
  }

  /** {@code progress} hears about the slow part (stopping can take the whole grace period) before it starts. */
  public Result down(String project, boolean removeVolumes, java.util.function.Consumer<String> progress) {
    List<ContainerSummary> containers = docker.listContainers(StackLabels.projectFilter(project));
    if (!containers.isEmpty()) {
      progress.accept("stopping " + containers.size() + (containers.size() == 1 ? " container" : " containers")
          + " of project " + project + " ...");
    }
    removeAll(containers);
    List<String> networks = new ArrayList<>();
    for (NetworkInfo n : docker.listNetworks(StackLabels.projectFilter(project))) {
      docker.removeNetwork(n.id());
      networks.add(n.name());
    }
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (VolumeInfo v : docker.listVolumes(StackLabels.projectFilter(project))) {
      if (removeVolumes) {
        docker.removeVolume(v.name());
        removed.add(v.name());
      } else {
        kept.add(v.name());
      }
    }
    return new Result(containers.stream().map(ContainerSummary::name).sorted().toList(), networks.stream().sorted()
        .toList(), removed.stream().sorted().toList(), kept.stream().sorted().toList());
  }

  /**
   * In parallel, as Compose does: each container may take the whole grace period to stop. Every container
   * is tried; failures are reported together afterwards.
   */
  private void removeAll(List<ContainerSummary> containers) {
    if (containers.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(containers.size(), 8), r -> {
      Thread t = new Thread(r, "keiko-down");
      t.setDaemon(true);
      return t;
    });
    List<String> failures = new ArrayList<>();
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (ContainerSummary c : containers) {
        pending.add(pool.submit(() -> {
          docker.stopContainer(c.id(), STOP_GRACE);
          docker.removeContainer(c.id(), false);
        }));
      }
      for (int i = 0; i < pending.size(); i++) {
        try {
          pending.get(i).get();
        } catch (ExecutionException e) {
          failures.add(containers.get(i).name() + ": " + e.getCause().getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while removing containers", "run `keiko-mon down` again");
    } finally {
      pool.shutdown();
    }
    if (!failures.isEmpty()) {
      throw new OperationFailedException("could not remove " + failures.size() + " of " + containers.size()
          + " containers (the network and volumes were left as they are):\n  - " + String.join("\n  - ", failures),
          "run `keiko-mon down` again; if it keeps failing, `docker rm -f` the container");
    }
  }
}
