package io.keikomon.docker;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A Docker Engine in memory for unit tests of {@code up}: containers, networks, volumes and images as plain
 * maps, a log of every changing call, and hooks to decide what exec (healthchecks, wget) and start return.
 * A container with a healthcheck starts "starting" and turns "healthy" once a probe of it succeeds, the way
 * the engine's own check would a little later.
 */
final class InMemoryEngine implements DockerGateway {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final Map<String, Box> containers = new ConcurrentHashMap<>();
  final Map<String, NetworkInfo> networks = new ConcurrentHashMap<>();
  final Map<String, VolumeInfo> volumes = new ConcurrentHashMap<>();
  final Map<String, String> images = new ConcurrentHashMap<>();
  final Set<String> pullable = ConcurrentHashMap.newKeySet();
  final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  final Map<String, List<String>> logLines = new ConcurrentHashMap<>();
  /** (container name, command) → result; null = exit 0 with empty output. */
  volatile BiFunction<String, List<String>, ExecResult> execHook = (name, cmd) -> null;
  /** Container names whose start fails when a bind mount asks for propagation (a private root mount). */
  final Set<String> privateRootFor = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  String endpoint = "tcp://engine.example:2375";

  static final class Box {
    final String id;
    final ContainerSpec spec;
    final String imageId;
    volatile String status = "created";
    volatile String health;
    final Instant created = Instant.now();

    Box(String id, ContainerSpec spec, String imageId) {
      this.id = id;
      this.spec = spec;
      this.imageId = imageId;
    }
  }

  void image(String ref) {
    images.put(ref, "sha256:" + ref.hashCode());
  }

  Box byName(String name) {
    return containers.values().stream().filter(b -> b.spec.name().equals(name)).findFirst().orElse(null);
  }

  void emit(String id, String action, Map<String, String> attributes) {
    listeners.forEach(l -> l.event(new ContainerEvent(id, action, attributes, Instant.now())));
  }

  List<String> changes() {
    return calls.stream().filter(c -> !c.startsWith("exec ")).toList();
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo(endpoint, "20.10.24+dfsg1", "1.41", "linux", "x86_64");
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return containers.values().stream()
        .filter(b -> b.spec.labels().entrySet().containsAll(labels.entrySet()))
        .map(b -> new ContainerSummary(b.id, b.spec.name(), b.spec.image(), b.status, b.spec.labels()))
        .toList();
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return networks.values().stream().filter(n -> n.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return volumes.values().stream().filter(v -> v.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    Box b = containers.containsKey(idOrName) ? containers.get(idOrName) : byName(idOrName);
    if (b == null) {
      return Optional.empty();
    }
    boolean running = b.status.equals("running");
    Health h = b.health == null ? null : new Health(b.health, 0, List.of());
    List<PublishedPort> ports = b.spec.ports().stream()
        .map(p -> new PublishedPort(p.hostIp(), p.hostPort(), p.containerPort(), p.protocol())).toList();
    return Optional.of(new ContainerDetails(b.id, b.spec.name(), b.spec.image(), b.imageId, b.spec.labels(),
        new ContainerState(b.status, running, 0, false, b.created, null, h, ""), ports,
        b.spec.networks().stream().map(NetworkAttachment::network).toList(), b.created));
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return Optional.ofNullable(networks.get(idOrName));
  }

  @Override
  public Optional<VolumeInfo> inspectVolume(String name) {
    return Optional.ofNullable(volumes.get(name));
  }

  @Override
  public String createNetwork(NetworkSpec spec) {
    calls.add("create network " + spec.name());
    networks.put(spec.name(), new NetworkInfo("net-" + spec.name(), spec.name(), spec.driver(), spec.labels()));
    return "net-" + spec.name();
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    calls.add("create volume " + spec.name());
    volumes.put(spec.name(), new VolumeInfo(spec.name(), spec.driver(), spec.labels()));
  }

  @Override
  public void removeNetwork(String idOrName) {
    calls.add("remove network " + idOrName);
    networks.remove(idOrName);
  }

  @Override
  public void removeVolume(String name) {
    calls.add("remove volume " + name);
    volumes.remove(name);
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    return Optional.ofNullable(images.get(reference)).map(id -> new ImageInfo(id, List.of(reference), Map.of()));
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    calls.add("pull " + reference);
    if (!pullable.contains(reference)) {
      throw new DockerOperationException(DockerOperationException.Kind.NOT_FOUND,
          "pull access denied for " + reference + ", repository does not exist", null, null);
    }
    progress.progress("abc123", "Pull complete", -1, -1);
    image(reference);
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    if (byName(spec.name()) != null) {
      throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
          "container name " + spec.name() + " is already in use", null, null);
    }
    String id = String.format("%064d", ids.incrementAndGet());
    calls.add("create " + spec.name());
    containers.put(id, new Box(id, spec, images.get(spec.image())));
    return id;
  }

  @Override
  public void startContainer(String id) {
    Box b = containers.get(id);
    calls.add("start " + b.spec.name());
    if (privateRootFor.contains(b.spec.name()) && b.spec.mounts().stream().anyMatch(m -> m.propagation() != null)) {
      throw new DockerOperationException(DockerOperationException.Kind.OTHER,
          "path / is mounted on / but it is not a shared or slave mount", null, null);
    }
    b.status = "running";
    boolean check = b.spec.healthcheck() != null && !b.spec.healthcheck().test().get(0).equals("NONE");
    b.health = check ? "starting" : null;
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    Box b = containers.get(id);
    calls.add("stop " + b.spec.name());
    b.status = "exited";
  }

  @Override
  public void signalContainer(String id, String signal) {
    calls.add("signal " + signal + " " + containers.get(id).spec.name());
  }

  @Override
  public void removeContainer(String id, boolean force) {
    Box b = containers.remove(id);
    if (b != null) {
      calls.add("remove " + b.spec.name());
    }
  }

  /** Container name → the exit code waitForExit reports (the container then counts as exited); default 0. */
  final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();

  @Override
  public int waitForExit(String id, Duration timeout) {
    Box b = containers.get(id);
    b.status = "exited";
    return exitCodes.getOrDefault(b.spec.name(), 0);
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    Box b = containers.get(id);
    calls.add("exec " + b.spec.name() + " " + String.join(" ", cmd));
    ExecResult r = execHook.apply(b.spec.name(), cmd);
    if (r == null) {
      r = new ExecResult(0, "", "");
    }
    if (r.exitCode() == 0 && "starting".equals(b.health)) {
      b.health = "healthy";
    }
    return r;
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    Box b = containers.get(id);
    logLines.getOrDefault(b == null ? "" : b.spec.name(), List.of()).forEach(l -> listener.line(false, l));
    return done();
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    listeners.add(listener);
    return new Subscription() {
      @Override
      public void awaitCompletion() {}

      @Override
      public boolean awaitCompletion(Duration timeout) {
        return true;
      }

      @Override
      public void close() {
        listeners.remove(listener);
      }
    };
  }

  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    throw new UnsupportedOperationException();
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}

  private static Subscription done() {
    return new Subscription() {
      @Override
      public void awaitCompletion() {}

      @Override
      public boolean awaitCompletion(Duration timeout) {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  /** Container names in creation order. */
  List<String> created() {
    List<String> out = new ArrayList<>();
    for (String c : calls) {
      if (c.startsWith("create ") && !c.startsWith("create network") && !c.startsWith("create volume")) {
        out.add(c.substring("create ".length()));
      }
    }
    return Collections.unmodifiableList(out);
  }

  static Map<String, String> attrs(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
