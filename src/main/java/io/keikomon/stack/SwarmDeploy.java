package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.core.Digests;
import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmObject;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.SwarmServiceSpec;
import io.keikomon.engine.SwarmServiceSpec.FileRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Deploys a stack file onto the swarm as {@code docker stack deploy} would, through the Engine API: creates what is
 * missing, updates only the services whose spec changed, removes services no longer in the file, waits for the
 * stack to converge and then prunes the configs and secrets no spec names any more.
 */
final class SwarmDeploy {
  /** The hash of the spec keiko-mon last deployed for a service: unchanged means no update (no restart). */
  static final String SPEC_HASH = "io.keikomon.spec-hash";
  /** Deployed with one replica first, scaled once it is healthy: its database migrations must not race. */
  static final String STARTS_ALONE = "grafana";

  private final DockerGateway docker;
  private final Clock clock;
  private final SwarmConvergence convergence;

  SwarmDeploy(DockerGateway docker, Clock clock, Duration pollEvery) {
    this.docker = docker;
    this.clock = clock;
    this.convergence = new SwarmConvergence(docker, clock, pollEvery);
  }

  /** See {@link SwarmStackRuntime#deploy}. */
  SwarmStackRuntime.Deployed deploy(StackFile file, Path baseDir, Duration timeout, boolean wait,
      Consumer<String> progress) {
    Instant deadline = clock.instant().plus(timeout);
    SwarmGateway swarm = docker.swarm();
    Map<String, String> labels = file.labels();
    for (String net : file.networks()) {
      String name = file.scoped(net);
      if (docker.inspectNetwork(name).isEmpty()) {
        docker.createNetwork(new NetworkSpec(name, "overlay", labels, false));
        progress.accept("created network " + name);
      }
    }
    Map<String, String> configIds = ensure(file, baseDir, file.configs(), swarm.listConfigs(labels), true, progress);
    Map<String, String> secretIds = ensure(file, baseDir, file.secrets(), swarm.listSecrets(labels), false, progress);

    Map<String, SwarmService> existing = new HashMap<>();
    swarm.listServices(labels).forEach(s -> existing.put(s.name(), s));
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Map<String, SwarmServiceSpec> scaleLater = new LinkedHashMap<>();
    for (SwarmServiceSpec raw : file.services()) {
      SwarmServiceSpec spec = resolved(raw, configIds, secretIds);
      spec = spec.withLabels(Map.of(SPEC_HASH, hash(spec)));
      SwarmService current = existing.remove(spec.name());
      String shortName = shortName(file, spec.name());
      if (current == null) {
        boolean alone = shortName.equals(STARTS_ALONE) && spec.replicas() != null && spec.replicas() > 1;
        // the one-replica start carries no hash: an up that did not get to scale it updates it next time
        swarm.createService(alone ? spec.withReplicas(1).withLabels(Map.of(SPEC_HASH, "")) : spec);
        if (alone) {
          scaleLater.put(spec.name(), spec);
        }
        created.add(shortName);
        progress.accept("created service " + shortName + (spec.replicas() == null ? " (one task per node)"
            : " (" + spec.replicas() + (spec.replicas() == 1 ? " replica" : " replicas")
                + (alone ? ", started with 1 so database migrations run once" : "") + ")"));
      } else if (!spec.labels().get(SPEC_HASH).equals(current.labels().get(SPEC_HASH))) {
        swarm.updateService(current.id(), current.version(), spec);
        updated.add(shortName);
        progress.accept("updated service " + shortName + ": Swarm rolls it out by its update_config");
      } else {
        unchanged.add(shortName);
      }
    }
    List<String> removed = new ArrayList<>();
    for (SwarmService gone : existing.values()) {
      swarm.removeService(gone.id());
      removed.add(shortName(file, gone.name()));
      progress.accept("removed service " + shortName(file, gone.name()) + " (no longer in the stack file)");
    }
    SwarmStackRuntime.Deployed result = new SwarmStackRuntime.Deployed(created, updated, unchanged, removed);
    if (!wait) {
      return result;
    }
    convergence.awaitConverged(file, deadline, progress);
    if (!scaleLater.isEmpty()) {
      for (SwarmServiceSpec spec : scaleLater.values()) {
        SwarmService s = swarm.listServices(labels).stream().filter(x -> x.name().equals(spec.name())).findFirst()
            .orElseThrow(() -> new OperationFailedException("service " + spec.name() + " disappeared while deploying",
                "run `keiko-mon up` again"));
        swarm.updateService(s.id(), s.version(), spec);
        progress.accept("scaled " + shortName(file, spec.name()) + " to " + spec.replicas() + " replicas");
      }
      convergence.awaitConverged(file, deadline, progress);
    }
    prune(file, configIds.values(), secretIds.values());
    return result;
  }

  /** Creates each config (or secret) the file declares that the swarm has not got; returns full name to id. */
  private Map<String, String> ensure(StackFile file, Path baseDir, Map<String, String> declared,
      List<SwarmObject> present, boolean config, Consumer<String> progress) {
    SwarmGateway swarm = docker.swarm();
    Map<String, String> ids = new TreeMap<>();
    Map<String, String> byName = new HashMap<>();
    present.forEach(o -> byName.put(o.name(), o.id()));
    for (Map.Entry<String, String> d : declared.entrySet()) {
      String name = file.scoped(d.getKey());
      String id = byName.get(name);
      if (id == null) {
        byte[] data;
        try {
          data = Files.readAllBytes(baseDir.resolve(d.getValue()).normalize());
        } catch (IOException e) {
          throw new OperationFailedException("cannot read " + d.getValue() + " for " + (config ? "config " : "secret ")
              + name + ": " + e.getMessage(), "run `keiko-mon render` again");
        }
        id = config ? swarm.createConfig(name, file.labels(), data) : swarm.createSecret(name, file.labels(), data);
      }
      ids.put(name, id);
    }
    return ids;
  }

  private static SwarmServiceSpec resolved(SwarmServiceSpec s, Map<String, String> configIds,
      Map<String, String> secretIds) {
    List<FileRef> configs = s.configs().stream().map(f -> new FileRef(configIds.get(f.name()), f.name(), f.target()))
        .toList();
    List<FileRef> secrets = s.secrets().stream().map(f -> new FileRef(secretIds.get(f.name()), f.name(), f.target()))
        .toList();
    return new SwarmServiceSpec(s.name(), s.labels(), s.image(), s.entrypoint(), s.args(), s.env(), s.hostname(),
        s.mounts(), configs, secrets, s.networks(), s.ports(), s.replicas(), s.update(), s.rollback(), s.restart(),
        s.resources(), s.healthcheck(), s.hosts(), s.constraints());
  }

  /** What decides an update: everything in the spec but the hash label itself. */
  static String hash(SwarmServiceSpec spec) {
    Map<String, String> labels = new TreeMap<>(spec.labels());
    labels.remove(SPEC_HASH);
    SwarmServiceSpec bare = new SwarmServiceSpec(spec.name(), labels, spec.image(), spec.entrypoint(), spec.args(),
        spec.env(), spec.hostname(), spec.mounts(), spec.configs(), spec.secrets(), spec.networks(), spec.ports(),
        spec.replicas(), spec.update(), spec.rollback(), spec.restart(), spec.resources(), spec.healthcheck(),
        spec.hosts(), spec.constraints());
    return Digests.sha256Hex(bare.toString()).substring(0, 16);
  }

  /** Configs and secrets of the stack that no current spec names any more; one still in use stays. */
  private void prune(StackFile file, Collection<String> configIds, Collection<String> secretIds) {
    SwarmGateway swarm = docker.swarm();
    Set<String> keepConfigs = new HashSet<>(configIds);
    Set<String> keepSecrets = new HashSet<>(secretIds);
    for (SwarmObject c : swarm.listConfigs(file.labels())) {
      if (!keepConfigs.contains(c.id())) {
        SwarmTeardown.quietly(() -> swarm.removeConfig(c.id()));
      }
    }
    for (SwarmObject s : swarm.listSecrets(file.labels())) {
      if (!keepSecrets.contains(s.id())) {
        SwarmTeardown.quietly(() -> swarm.removeSecret(s.id()));
      }
    }
  }

  /** {@code <stack>_<name>} as the stack file names it: {@code <name>}. */
  static String shortName(StackFile file, String fullName) {
    return fullName.startsWith(file.stack() + "_") ? fullName.substring(file.stack().length() + 1) : fullName;
  }
}
