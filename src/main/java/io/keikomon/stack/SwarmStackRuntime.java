package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.config.TextFile;
import io.keikomon.core.Digests;
import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmObject;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.SwarmGateway.SwarmTask;
import io.keikomon.engine.SwarmServiceSpec;
import io.keikomon.engine.SwarmServiceSpec.FileRef;
import io.keikomon.engine.VolumeInfo;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A stack as Docker Swarm runs it: services with replicated (or global) tasks, configs and secrets, one overlay
 * network, all labelled {@code com.docker.stack.namespace=<project>} as {@code docker stack deploy} labels them,
 * so either tool can take over from the other. Deploying goes through the Engine API: objects are created or
 * updated only when their content changed, and Swarm rolls changed services out by their update policy.
 */
public final class SwarmStackRuntime implements StackRuntime {
  /** The hash of the spec keiko-mon last deployed for a service: unchanged means no update (no restart). */
  public static final String SPEC_HASH = "io.keikomon.spec-hash";
  /** Deployed with one replica first, scaled once it is healthy: its database migrations must not race. */
  static final String STARTS_ALONE = "grafana";

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
    Deployed result = new Deployed(created, updated, unchanged, removed);
    if (!wait) {
      return result;
    }
    awaitConverged(file, deadline, progress);
    if (!scaleLater.isEmpty()) {
      for (SwarmServiceSpec spec : scaleLater.values()) {
        SwarmService s = swarm.listServices(labels).stream().filter(x -> x.name().equals(spec.name())).findFirst()
            .orElseThrow(() -> new OperationFailedException("service " + spec.name() + " disappeared while deploying",
                "run `keiko-mon up` again"));
        swarm.updateService(s.id(), s.version(), spec);
        progress.accept("scaled " + shortName(file, spec.name()) + " to " + spec.replicas() + " replicas");
      }
      awaitConverged(file, deadline, progress);
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
        quietly(() -> swarm.removeConfig(c.id()));
      }
    }
    for (SwarmObject s : swarm.listSecrets(file.labels())) {
      if (!keepSecrets.contains(s.id())) {
        quietly(() -> swarm.removeSecret(s.id()));
      }
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (DockerOperationException inUse) {
      // an old task still holds it (the engine refuses); the next deploy tries again
    }
  }

  /** Waits until every service of the file has converged; reports progress once per change. */
  void awaitConverged(StackFile file, Instant deadline, Consumer<String> progress) {
    Map<String, String> last = new HashMap<>();
    while (true) {
      Map<String, Convergence> now = convergence(file);
      now.forEach((service, c) -> {
        if (!c.text().equals(last.put(service, c.text()))) {
          progress.accept(service + ": " + c.text());
        }
      });
      List<Convergence> failed = now.values().stream().filter(Convergence::failed).toList();
      if (!failed.isEmpty()) {
        throw new UnhealthyException("the rolling update of " + String.join(", ", failed.stream().map(Convergence::service)
            .toList()) + " failed: " + failed.get(0).text(),
            "`keiko-mon logs " + failed.get(0).service() + "` shows why; fix keiko.yml and run `keiko-mon up` again");
      }
      if (now.values().stream().allMatch(Convergence::done)) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        List<Convergence> pending = now.values().stream().filter(c -> !c.done()).toList();
        StringBuilder why = new StringBuilder();
        pending.forEach(c -> why.append("\n  ").append(c.service()).append(": ").append(c.text()));
        throw new UnhealthyException("the stack did not converge in time:" + why,
            "`keiko-mon status` shows each task and its node; `keiko-mon logs <service>` why one does not start;"
                + " a longer --timeout helps a slow first pull");
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException("interrupted while waiting for the stack to converge",
            "run `keiko-mon up` again; Swarm carries on converging meanwhile");
      }
    }
  }

  /** One service: {@code done} when converged, {@code failed} when its update paused or rolled back. */
  record Convergence(String service, boolean done, boolean failed, String text) {}

  private Map<String, Convergence> convergence(StackFile file) {
    SwarmGateway swarm = docker.swarm();
    Map<String, SwarmService> services = new HashMap<>();
    swarm.listServices(file.labels()).forEach(s -> services.put(s.name(), s));
    int nodes = -1;
    Map<String, Convergence> out = new TreeMap<>();
    for (SwarmServiceSpec spec : file.services()) {
      String shortName = shortName(file, spec.name());
      SwarmService s = services.get(spec.name());
      if (s == null) {
        out.put(shortName, new Convergence(shortName, false, false, "not created"));
        continue;
      }
      List<SwarmTask> current = swarm.listTasks(s.id()).stream().filter(SwarmTask::current).toList();
      long running = current.stream().filter(SwarmTask::running).count();
      int desired;
      if (s.global()) {
        if (nodes < 0) {
          nodes = swarm.nodeNames().size();
        }
        desired = nodes;
      } else {
        desired = s.replicas();
      }
      String update = s.updateState();
      boolean updating = update.equals("updating") || update.equals("rollback_started");
      boolean failed = update.equals("paused") || update.equals("rollback_paused") || update.equals("rollback_completed");
      boolean done = !updating && !failed && running == desired && current.size() == desired;
      String text = running + "/" + desired + " running" + (updating ? ", rolling update in progress" : "")
          + (failed ? ", update " + update.replace('_', ' ') + (s.updateMessage().isEmpty() ? "" : ": "
              + s.updateMessage()) : "");
      Optional<SwarmTask> broken = current.stream().filter(t -> !t.running() && !t.error().isEmpty()).findFirst();
      if (!done && broken.isPresent()) {
        text += " (task " + broken.get().slot() + ": " + broken.get().error() + ")";
      }
      out.put(shortName, new Convergence(shortName, done, failed, text));
    }
    return out;
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
    return status(stack, true);
  }

  private StatusReport status(Stack stack, boolean withTargets) {
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

  /** The task rows without Prometheus' targets (doctor reads those itself). */
  @Override
  public StatusReport servicesOnly(Stack stack) {
    return status(stack, false);
  }

  @Override
  public void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException {
    SwarmGateway swarm = docker.swarm();
    Map<String, SwarmService> found = new TreeMap<>();
    swarm.listServices(Map.of(StackFile.NAMESPACE, stack.project()))
        .forEach(s -> found.put(s.name().substring(stack.project().length() + 1), s));
    if (found.isEmpty()) {
      throw new OperationFailedException("stack " + stack.project() + " has no services", "start it with `keiko-mon up`");
    }
    List<String> wanted = new ArrayList<>();
    for (String s : services.isEmpty() ? found.keySet() : services) {
      if (!found.containsKey(s)) {
        throw new OperationFailedException("no service " + s + " in stack " + stack.project(),
            "services: " + String.join(", ", found.keySet()));
      }
      wanted.add(s);
    }
    int width = wanted.stream().mapToInt(String::length).max().orElse(0);
    Object lock = new Object();
    LogRequest request = new LogRequest(tail, follow, null);
    List<Subscription> subs = new ArrayList<>();
    try {
      for (String s : wanted) {
        Subscription sub = swarm.serviceLogs(found.get(s).id(), request, (err, line) -> {
          synchronized (lock) {
            out.accept(String.format("%-" + width + "s | ", s) + line);
          }
        });
        if (follow) {
          subs.add(sub);
        } else {
          try (sub) {
            sub.awaitCompletion();
          }
        }
      }
      for (Subscription sub : subs) {
        sub.awaitCompletion();
      }
    } finally {
      subs.forEach(Subscription::close);
    }
  }

  /**
   * Removes the stack's services, waits for their containers to go, then its networks, configs and secrets; the
   * per-replica volumes only when asked (on this node: Swarm leaves a volume on each node a task ran on).
   */
  @Override
  public StackTeardown.Result down(Stack stack, boolean removeVolumes, Consumer<String> progress) {
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

  private static String shortName(StackFile file, String fullName) {
    return fullName.startsWith(file.stack() + "_") ? fullName.substring(file.stack().length() + 1) : fullName;
  }
}
