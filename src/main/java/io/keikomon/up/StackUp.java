package io.keikomon.up;

import io.keikomon.compose.ComposeModel;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.StartOrder;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;
import io.keikomon.stack.ComponentEndpoints;
import io.keikomon.stack.StackAccess;
import io.keikomon.stack.StackLabels;

import io.keikomon.core.KeikoException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.compose.ComposeModel.Condition;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.up.Plan.Action;
import io.keikomon.up.ReconcilePlanner.Desired;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Brings the engine in line with the compose file: {@link #prepare} looks (read-only) and plans;
 * {@link #apply} checks, then creates, recreates, reloads and removes, starting services in depends_on order
 * (independent ones in parallel) and waiting until they are ready.
 */
public final class StackUp {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final DockerGateway docker;
  private final ReloadLedger ledger;

  public StackUp(DockerGateway docker, ReloadLedger ledger) {
    this.docker = docker;
    this.ledger = ledger;
  }

  /** @param probeEvery how often readiness is probed while waiting */
  public record Options(Duration timeout, boolean waitForHealth, Duration probeEvery) {}

  /** What is there, what is wanted, and the plan between them. */
  public record Prepared(ComposeModel model, Map<String, Desired> desired,
      List<ContainerDetails> observed, Set<String> missingImages, Plan plan) {

    /** Nothing to change and every service already running (and healthy, where it has a healthcheck). */
    public boolean upToDate() {
      return plan.unchanged() && observed.stream().allMatch(c -> c.state().running()
          && (c.state().health() == null || c.state().health().healthy()));
    }
  }

  public Prepared prepare(ComposeModel model) {
    // one round trip at a time would make the no-op `up` pay ~20 sequential engine calls
    ExecutorService io = Executors.newFixedThreadPool(8, daemon("keiko-mon-inspect"));
    try {
      List<CompletableFuture<Optional<ContainerDetails>>> containers = docker
          .listContainers(StackLabels.projectFilter(model.project())).stream()
          .map(c -> CompletableFuture.supplyAsync(() -> docker.inspectContainer(c.id()), io)).toList();
      Map<String, CompletableFuture<Optional<ImageInfo>>> images = new HashMap<>();
      model.services().values().forEach(s -> images.computeIfAbsent(s.image(),
          img -> CompletableFuture.supplyAsync(() -> docker.inspectImage(img), io)));
      List<ContainerDetails> observed = new ArrayList<>();
      containers.forEach(f -> join(f).ifPresent(observed::add));
      Map<String, String> imageIds = new HashMap<>();
      Set<String> missing = new HashSet<>();
      images.forEach((img, f) -> join(f).ifPresentOrElse(i -> imageIds.put(img, i.id()), () -> missing.add(img)));
      return prepared(model, observed, imageIds, missing);
    } finally {
      io.shutdownNow();
    }
  }

  private Prepared prepared(ComposeModel model, List<ContainerDetails> observed,
      Map<String, String> imageIds, Set<String> missing) {
    Map<String, Desired> desired = new LinkedHashMap<>();
    for (Service s : model.services().values()) {
      desired.put(s.name(), new Desired(ServiceHashes.spec(model, s), ServiceHashes.config(model, s),
          imageIds.get(s.image()), ServiceHashes.fixedConfig(model, s)));
    }
    Plan plan = ReconcilePlanner.plan(model, desired, observed, ledger.read());
    return new Prepared(model, desired, observed, missing, plan);
  }

  /**
   * Carries out the plan. Pre-flight problems stop it before anything is changed.
   *
   * @return container id per service
   * @throws UnhealthyException when a service does not become ready (exit 5)
   * @throws OperationFailedException when the engine refuses a step, or a reload fails (exit 1)
   */
  public Map<String, String> apply(Prepared prepared, Options options, UpProgress progress) {
    ComposeModel model = prepared.model();
    EngineInfo engine = docker.info();
    boolean local = ComponentEndpoints.isLocal(engine);
    new Preflight(docker, engine, local).check(model, prepared.plan(), prepared.observed(),
        prepared.missingImages(), progress::note);
    Prepared p = prepared.missingImages().isEmpty() ? prepared : prepare(model);
    boolean creates = p.plan().steps().stream()
        .anyMatch(s -> s.action() == Action.CREATE || s.action() == Action.RECREATE);
    if (creates) {
      ensureNetwork(model, progress);
      ensureVolumes(model, progress);
    }
    for (Plan.Removal r : p.plan().removals()) {
      progress.note("removing " + r.containerName() + " (" + r.reason() + ")");
      docker.stopContainer(r.containerId(), STOP_GRACE);
      docker.removeContainer(r.containerId(), true);
    }
    Instant deadline = Instant.now().plus(options.timeout());
    try (ReadinessWatch watch = new ReadinessWatch(docker, model.project(), options.probeEvery());
         Run run = new Run(p, options, progress, watch, new Reloader(new ComponentEndpoints(docker, local, StackAccess.of(model.workingDir())), model.workingDir()), deadline)) {
      return run.execute();
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void ensureNetwork(ComposeModel model, UpProgress progress) {
    if (model.services().values().stream().noneMatch(Service::onProjectNetwork)) {
      return;
    }
    String name = model.defaultNetworkName();
    ComposeModel.Network declared = model.networks().get("default");
    Optional<NetworkInfo> found = docker.inspectNetwork(name);
    if (found.isEmpty()) {
      if (declared != null && declared.external()) {
        throw new OperationFailedException("network " + name + " is declared external but does not exist",
            "create it with `docker network create " + name + "`");
      }
      docker.createNetwork(new NetworkSpec(name, declared == null ? "bridge" : declared.driver(),
          StackLabels.network(model.project(), "default"), false));
    } else if (!model.project().equals(found.get().labels().get(ComposeLabels.PROJECT))
        && (declared == null || !declared.external())) {
      progress.warn("network " + name + " exists but was not created by keiko-mon or Compose for project "
          + model.project() + "; using it as it is");
    }
  }

  private void ensureVolumes(ComposeModel model, UpProgress progress) {
    for (ComposeModel.Volume v : model.volumes().values()) {
      String name = model.volumeName(v.key());
      Optional<VolumeInfo> found = docker.inspectVolume(name);
      if (found.isEmpty()) {
        if (v.external()) {
          throw new OperationFailedException("volume " + name + " is declared external but does not exist",
              "create it with `docker volume create " + name + "`");
        }
        docker.createVolume(new VolumeSpec(name, v.driver(), StackLabels.volume(model.project(), v.key(), v.labels())));
      } else if (!v.external() && !model.project().equals(found.get().labels().get(ComposeLabels.PROJECT))) {
        progress.warn("volume " + name + " exists but was not created by keiko-mon or Compose for project "
            + model.project() + "; using it as it is");
      }
    }
  }

  /** One apply: a future per service for "started" and for "ready", chained along depends_on. */
  private final class Run implements AutoCloseable {
    final Prepared p;
    final ComposeModel model;
    final Options options;
    final UpProgress progress;
    final ReadinessWatch watch;
    final Reloader reloader;
    final Instant deadline;
    final ExecutorService pool;
    final Map<String, CompletableFuture<String>> started = new HashMap<>();
    final Map<String, CompletableFuture<String>> ready = new HashMap<>();
    final Map<String, CompletableFuture<String>> completed = new HashMap<>();
    final Map<String, String> reloadedHashes = new ConcurrentHashMap<>();

    Run(Prepared p, Options options, UpProgress progress, ReadinessWatch watch, Reloader reloader, Instant deadline) {
      this.p = p;
      this.model = p.model();
      this.options = options;
      this.progress = progress;
      this.watch = watch;
      this.reloader = reloader;
      this.deadline = deadline;
      this.pool = Executors.newFixedThreadPool(Math.max(2, Math.min(16, model.services().size())), daemon("keiko-mon-up"));
    }

    Map<String, String> execute() {
      for (String name : StartOrder.of(model.services()).flat()) {
        Service s = model.service(name);
        List<CompletableFuture<String>> gates = new ArrayList<>();
        s.dependsOn().forEach((dep, d) -> {
          if (model.services().containsKey(dep)) {
            gates.add(switch (d.condition()) {
              case SERVICE_HEALTHY -> ready(dep);
              case SERVICE_COMPLETED_SUCCESSFULLY -> completed(dep);
              case SERVICE_STARTED -> started.get(dep);
            });
          }
        });
        started.put(name, CompletableFuture.allOf(gates.toArray(CompletableFuture[]::new))
            .handleAsync((v, failed) -> {
              if (failed != null) {
                throw new DependencyFailed("a service it depends on failed");
              }
              return act(p.plan().step(name));
            }, pool));
      }
      Map<String, CompletableFuture<String>> outcome = new LinkedHashMap<>();
      for (String name : model.services().keySet()) {
        outcome.put(name, oneShot(name) ? completed(name) : options.waitForHealth() ? ready(name) : started.get(name));
      }
      Map<String, String> ids = new LinkedHashMap<>();
      List<KeikoException> failures = new ArrayList<>();
      for (Map.Entry<String, CompletableFuture<String>> e : outcome.entrySet()) {
        try {
          ids.put(e.getKey(), e.getValue().join());
        } catch (CompletionException ex) {
          Throwable cause = ex.getCause();
          if (cause instanceof DependencyFailed) {
            progress.set(e.getKey(), "not started: " + cause.getMessage());
          } else if (cause instanceof KeikoException ke) {
            failures.add(ke);
          } else {
            throw ex;
          }
        }
      }
      Set<String> live = new HashSet<>(ids.values());
      if (!reloadedHashes.isEmpty()) {
        ledger.write(reloadedHashes, live);
      }
      if (!failures.isEmpty()) {
        throw combine(failures);
      }
      return ids;
    }

    /** A service another waits on to complete (an init job) runs once and exits; it is never "healthy". */
    boolean oneShot(String name) {
      return model.services().values().stream().anyMatch(s -> s.dependsOn().containsKey(name)
          && s.dependsOn().get(name).condition() == Condition.SERVICE_COMPLETED_SUCCESSFULLY);
    }

    CompletableFuture<String> completed(String name) {
      return completed.computeIfAbsent(name, n -> started.get(n).thenApplyAsync(id -> {
        progress.set(n, "running to completion");
        Duration left = Duration.between(Instant.now(), deadline);
        int code = docker.waitForExit(id, left.isNegative() ? Duration.ZERO : left);
        if (code != 0) {
          throw new OperationFailedException("service " + n + " exited with code " + code
              + ", and services depending on its successful completion were not started",
              "`keiko-mon logs " + n + "` shows why; fix it and run `keiko-mon up` again");
        }
        progress.set(n, "completed");
        return id;
      }, pool));
    }

    CompletableFuture<String> ready(String name) {
      return ready.computeIfAbsent(name, n -> started.get(n).thenApplyAsync(id -> {
        Service s = model.service(n);
        boolean check = s.healthcheck().map(h -> !h.disabled()).orElse(false);
        boolean kept = p.plan().step(n).action() == Action.KEEP;
        Instant t0 = Instant.now();
        if (check && !kept) {
          progress.set(n, "waiting for health");
        }
        watch.awaitReady(n, id, s.healthcheck(), deadline);
        Duration took = Duration.between(t0, Instant.now());
        String state = check ? "healthy" + (took.toMillis() >= 100 ? " (" + seconds(took) + ")" : "") : "running";
        progress.set(n, kept ? "up to date, " + state : state);
        return id;
      }, pool));
    }

    String act(Plan.Step step) {
      Service s = model.service(step.service());
      String n = s.name();
      switch (step.action()) {
        case KEEP -> {
          return step.containerId();
        }
        case START -> {
          progress.set(n, "starting (" + step.reason() + ")");
          docker.startContainer(step.containerId());
          return step.containerId();
        }
        case RELOAD -> {
          progress.set(n, "reloading (" + step.reason() + ")");
          ContainerDetails c = docker.inspectContainer(step.containerId()).orElseThrow();
          try {
            reloader.reload(ReloadKind.of(s).orElseThrow(), s, c);
          } catch (Reloader.ReloadRefused refused) {
            progress.warn(n + ": its provisioning API did not apply the changed files, so it is recreated instead: "
                + refused.getMessage());
            progress.set(n, "recreating (the reload was refused)");
            docker.stopContainer(c.id(), STOP_GRACE);
            docker.removeContainer(c.id(), true);
            return create(s);
          }
          reloadedHashes.put(c.id(), p.desired().get(n).configHash());
          progress.set(n, "reloaded");
          return c.id();
        }
        case RECREATE -> {
          progress.set(n, "recreating (" + step.reason() + ")");
          docker.stopContainer(step.containerId(), STOP_GRACE);
          docker.removeContainer(step.containerId(), true);
          return create(s);
        }
        case CREATE -> {
          progress.set(n, "creating");
          return create(s);
        }
        default -> throw new IllegalStateException(step.action().toString());
      }
    }

    String create(Service s) {
      Desired d = p.desired().get(s.name());
      Map<String, String> labels = StackLabels.container(model, s.name(), d.specHash(), d.configHash(),
          d.fixedConfigHash());
      String id = docker.createContainer(ContainerSpecs.of(model, s, labels, false));
      try {
        docker.startContainer(id);
      } catch (DockerOperationException e) {
        if (!ContainerSpecs.usesPropagation(s) || !String.valueOf(e.getMessage()).contains("shared or slave mount")) {
          throw new OperationFailedException("service " + s.name() + " could not be started: " + e.getMessage(),
              "`keiko-mon logs " + s.name() + "` may tell more; fix the cause and run `keiko-mon up` again", e);
        }
        docker.removeContainer(id, true);
        progress.warn("service " + s.name() + ": this host's root mount is not shared or slave, so the bind"
            + " propagation requested in the compose file (e.g. `rslave`) is not supported here; using a plain"
            + " read-only mount instead (file systems mounted on the host later are not seen)");
        Map<String, String> fallback = new LinkedHashMap<>(labels);
        fallback.put(StackLabels.PROPAGATION_FALLBACK, "true");
        id = docker.createContainer(ContainerSpecs.of(model, s, fallback, true));
        docker.startContainer(id);
      }
      progress.set(s.name(), "started");
      return id;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /** A service was not started because one it depends on failed; reported as a consequence, not a cause. */
  private static final class DependencyFailed extends RuntimeException {
    DependencyFailed(String message) {
      super(message, null, false, false);
    }
  }

  private static KeikoException combine(List<KeikoException> failures) {
    if (failures.size() == 1) {
      return failures.get(0);
    }
    // an engine that stopped answering is the cause of every other failure: say that one (exit 4)
    for (KeikoException f : failures) {
      if (f instanceof io.keikomon.core.DockerUnavailableException) {
        return f;
      }
    }
    StringBuilder m = new StringBuilder(failures.size() + " services failed:");
    boolean unhealthy = false;
    for (KeikoException f : failures) {
      m.append("\n- ").append(f.getMessage().replace("\n", "\n  "));
      unhealthy |= f instanceof UnhealthyException;
    }
    String hint = failures.get(0).hint();
    return unhealthy ? new UnhealthyException(m.toString(), hint) : new OperationFailedException(m.toString(), hint);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
