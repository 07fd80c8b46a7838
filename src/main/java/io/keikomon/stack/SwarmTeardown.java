package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.VolumeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code down} of a swarm stack: its services, then (once their containers are gone) its networks, configs and
 * secrets, and the per-replica volumes only when asked.
 */
final class SwarmTeardown {
  private final DockerGateway docker;
  private final Clock clock;
  private final Duration pollEvery;

  SwarmTeardown(DockerGateway docker, Clock clock, Duration pollEvery) {
    this.docker = docker;
    this.clock = clock;
    this.pollEvery = pollEvery;
  }

  StackTeardown.Result down(Stack stack, boolean removeVolumes, Consumer<String> progress) {
    SwarmGateway swarm = docker.swarm();
    Map<String, String> labels = Map.of(StackFile.NAMESPACE, stack.project());
    List<String> removedServices = new ArrayList<>();
    List<SwarmService> services = swarm.listServices(labels);
    if (!services.isEmpty()) {
      progress.accept("removing " + services.size() + " services of stack " + stack.project() + " ...");
    }
    for (SwarmService s : services) {
      swarm.removeService(s.id());
      removedServices.add(s.name());
    }
    Instant until = clock.instant().plus(Duration.ofSeconds(60));
    while (!docker.listContainers(labels).isEmpty() && clock.instant().isBefore(until)) {
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<String> networks = new ArrayList<>();
    for (NetworkInfo n : docker.listNetworks(labels)) {
      docker.removeNetwork(n.id());
      networks.add(n.name());
    }
    swarm.listConfigs(labels).forEach(c -> quietly(() -> swarm.removeConfig(c.id())));
    swarm.listSecrets(labels).forEach(s -> quietly(() -> swarm.removeSecret(s.id())));
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (VolumeInfo v : docker.listVolumes(labels)) {
      if (removeVolumes) {
        docker.removeVolume(v.name());
        removed.add(v.name());
      } else {
        kept.add(v.name());
      }
    }
    return new StackTeardown.Result(removedServices.stream().sorted().toList(), networks.stream().sorted().toList(),
        removed.stream().sorted().toList(), kept.stream().sorted().toList());
  }

  /** Removes a config or secret unless the engine refuses as it is still in use. */
  static void quietly(Runnable r) {
    try {
      r.run();
    } catch (DockerOperationException inUse) {
      // an old task still holds it (the engine refuses); the next deploy tries again
    }
  }
}
