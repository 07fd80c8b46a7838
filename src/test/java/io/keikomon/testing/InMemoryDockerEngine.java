package io.keikomon.testing;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerEvent;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.EventListener;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.Health;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.NetworkAttachment;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PublishedPort;
import io.keikomon.engine.PullListener;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A Docker Engine in memory for unit tests: containers, networks, volumes and images as plain maps, a journal
 * of every changing call ({@link #calls}), and hooks to decide what exec (healthchecks, wget), start, wait and
 * remove do. Containers come either from {@link #createContainer} (as {@code up} makes them) or ready-made
 * from {@link #container(ContainerDetails)} (as {@code status}, {@code down} and {@code logs} find them).
 * A created container with a healthcheck starts "starting" and turns "healthy" once a probe of it succeeds,
 * the way the engine's own check would a little later. Building images and copying files are not modelled
 * and throw, so a test cannot pass by accident through a call it did not expect.
 */
public final class InMemoryDockerEngine implements DockerGateway {
  /**
   * "create NAME", "start NAME", "stop NAME", "remove NAME", "signal SIG NAME", "exec NAME CMD...",
   * "pull REF", "create network NAME", "create volume NAME", "remove network ID-OR-NAME",
   * "remove volume NAME", in call order; containers are named, whatever id the caller used.
   */
  public final List<String> calls = new CopyOnWriteArrayList<>();
  /** Container id → container. */
  public final Map<String, Container> containers = new ConcurrentHashMap<>();
  /** Network name → network. */
  public final Map<String, NetworkInfo> networks = new ConcurrentHashMap<>();
  /** Volume name → volume. */
  public final Map<String, VolumeInfo> volumes = new ConcurrentHashMap<>();
  /** Image reference → image id. */
  public final Map<String, String> images = new ConcurrentHashMap<>();
  /** References a pull succeeds for; pulling any other fails the way a missing repository does. */
  public final Set<String> pullable = ConcurrentHashMap.newKeySet();
  /** Container name → the lines its log holds. */
  public final Map<String, List<String>> logLines = new ConcurrentHashMap<>();
  /** (container name, command) → result; null = exit 0 with empty output. */
  public volatile BiFunction<String, List<String>, ExecResult> execHook = (name, cmd) -> null;
  /** Container names whose start fails when a bind mount asks for propagation (a private root mount). */
  public final Set<String> privateRootFor = ConcurrentHashMap.newKeySet();
  /** Container name → the exit code waitForExit reports (the container then counts as exited); default 0. */
  public final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
  /** Container names whose removal fails the way the engine fails (a {@link DockerOperationException}). */
  public final Set<String> refuseRemoval = ConcurrentHashMap.newKeySet();
  /** Where this engine claims to listen; a remote one means host ports are not checked locally. */
  public volatile String endpoint = "tcp://engine.example:2375";

  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  /** A container as the engine holds it: the spec it was created from (null if a test put it in) and its state. */
  public static final class Container {
    private final ContainerSpec spec;
    private volatile ContainerDetails details;

    Container(ContainerSpec spec, ContainerDetails details) {
      this.spec = spec;
      this.details = details;
    }

    public ContainerSpec spec() {
      return spec;
    }

    public ContainerDetails details() {
      return details;
    }

    public String id() {
      return details.id();
    }

    public String name() {
      return details.name();
    }

    public String imageId() {
      return details.imageId();
    }

    public String status() {
      return details.state().status();
    }

    String health() {
      Health h = details.state().health();
      return h == null ? null : h.status();
    }

    void change(String status, int exitCode, String health) {
      ContainerState s = details.state();
      boolean running = status.equals("running");
      ContainerState next = new ContainerState(status, running, exitCode, false, s.startedAt(),
          running ? null : s.startedAt(), health == null ? null : new Health(health, 0, List.of()), "");
      ContainerDetails d = details;
      details = new ContainerDetails(d.id(), d.name(), d.image(), d.imageId(), d.labels(), next, d.ports(),
          d.networks(), d.created());
    }
  }

  /** Puts in a container as the engine would report it. */
  public InMemoryDockerEngine container(ContainerDetails c) {
    containers.put(c.id(), new Container(null, c));
    return this;
  }

  public InMemoryDockerEngine network(NetworkInfo n) {
    networks.put(n.name(), n);
    return this;
  }

  public InMemoryDockerEngine volume(VolumeInfo v) {
    volumes.put(v.name(), v);
    return this;
  }

  /** Makes {@code ref} present locally. */
  public InMemoryDockerEngine image(String ref) {
    images.put(ref, "sha256:" + ref.hashCode());
    return this;
  }

  public InMemoryDockerEngine logLines(String containerName, String... lines) {
    logLines.put(containerName, List.of(lines));
    return this;
  }

  public Container byName(String name) {
    return containers.values().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /** Tells every events subscriber that {@code action} happened to container {@code id}. */
  public void emit(String id, String action, Map<String, String> attributes) {
    listeners.forEach(l -> l.event(new ContainerEvent(id, action, attributes, Instant.now())));
  }

  /** The journal without execs: what changed the engine. */
  /** Calls that change the stack: not execs, and not the project lock's marker (taken and removed by every up). */
  public List<String> changes() {
    return calls.stream().filter(c -> !c.startsWith("exec ") && !c.endsWith("_keiko-mon-lock")).toList();
  }

  /** Container names in creation order. */
  public List<String> created() {
    List<String> out = new ArrayList<>();
    for (String c : calls) {
      if (c.startsWith("create ") && !c.startsWith("create network") && !c.startsWith("create volume")) {
        out.add(c.substring("create ".length()));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static boolean matches(Map<String, String> have, Map<String, String> want) {
    return have.entrySet().containsAll(want.entrySet());
  }

  private Container existing(String id) {
    Container c = containers.get(id);
    if (c == null) {
      throw new DockerOperationException(DockerOperationException.Kind.NOT_FOUND, "no such container: " + id, null,
          null);
    }
    return c;
  }

  /** What {@link #swarm()} says of this engine; the other Swarm calls are not faked (they fail the test). */
  public volatile io.keikomon.engine.SwarmGateway.SwarmInfo swarmInfo =
      new io.keikomon.engine.SwarmGateway.SwarmInfo("inactive", false, "", "");

  /** A fuller Swarm fake a test brings; null: only {@link #swarmInfo} is answered. */
  public volatile io.keikomon.engine.SwarmGateway swarmApi;

  @Override
  public io.keikomon.engine.SwarmGateway swarm() {
    if (swarmApi != null) {
      return swarmApi;
    }
    return (io.keikomon.engine.SwarmGateway) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {io.keikomon.engine.SwarmGateway.class}, (proxy, method, args) -> {
          calls.add("swarm " + method.getName());
          if (method.getName().equals("swarmInfo")) {
            return swarmInfo;
          }
          throw new UnsupportedOperationException("InMemoryDockerEngine fakes only swarmInfo, not " + method.getName());
        });
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo(endpoint, "20.10.24+dfsg1", "1.41", "linux", "x86_64");
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return containers.values().stream().map(Container::details).filter(d -> matches(d.labels(), labels))
        .map(d -> new ContainerSummary(d.id(), d.name(), d.image(), d.state().status(), d.labels()))
        .toList();
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return networks.values().stream().filter(n -> matches(n.labels(), labels)).toList();
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return volumes.values().stream().filter(v -> matches(v.labels(), labels)).toList();
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    Container c = containers.containsKey(idOrName) ? containers.get(idOrName) : byName(idOrName);
    return Optional.ofNullable(c).map(Container::details);
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return networks.values().stream().filter(n -> n.id().equals(idOrName) || n.name().equals(idOrName)).findFirst();
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
    // like the engine: a second create of the same name answers with the first volume, labels and all
    volumes.putIfAbsent(spec.name(), new VolumeInfo(spec.name(), spec.driver(), spec.labels()));
  }

  @Override
  public void removeNetwork(String idOrName) {
    calls.add("remove network " + idOrName);
    networks.values().removeIf(n -> n.id().equals(idOrName) || n.name().equals(idOrName));
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
    throw new UnsupportedOperationException("buildImage");
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    if (byName(spec.name()) != null) {
      throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
          "container name " + spec.name() + " is already in use", null, null);
    }
    String id = String.format("%064d", ids.incrementAndGet());
    calls.add("create " + spec.name());
    Instant now = Instant.now();
    List<PublishedPort> ports = spec.ports().stream()
        .map(p -> new PublishedPort(p.hostIp(), p.hostPort(), p.containerPort(), p.protocol())).toList();
    ContainerDetails details = new ContainerDetails(id, spec.name(), spec.image(), images.get(spec.image()),
        spec.labels(), new ContainerState("created", false, 0, false, now, null, null, ""), ports,
        spec.networks().stream().map(NetworkAttachment::network).toList(), now);
    containers.put(id, new Container(spec, details));
    return id;
  }

  @Override
  public void startContainer(String id) {
    Container c = existing(id);
    calls.add("start " + c.name());
    ContainerSpec spec = c.spec();
    if (spec != null && privateRootFor.contains(c.name())
        && spec.mounts().stream().anyMatch(m -> m.propagation() != null)) {
      throw new DockerOperationException(DockerOperationException.Kind.OTHER,
          "path / is mounted on / but it is not a shared or slave mount", null, null);
    }
    boolean check = spec != null && spec.healthcheck() != null && !spec.healthcheck().test().get(0).equals("NONE");
    c.change("running", 0, check ? "starting" : null);
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    Container c = existing(id);
    calls.add("stop " + c.name());
    c.change("exited", 0, c.health());
  }

  @Override
  public void signalContainer(String id, String signal) {
    calls.add("signal " + signal + " " + existing(id).name());
  }

  @Override
  public void removeContainer(String id, boolean force) {
    Container c = containers.get(id);
    if (c == null) {
      return;
    }
    calls.add("remove " + c.name());
    if (refuseRemoval.contains(c.name())) {
      throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
          "could not remove container " + id + " (" + endpoint + "): device or resource busy", null, null);
    }
    containers.remove(id);
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    Container c = existing(id);
    int code = exitCodes.getOrDefault(c.name(), 0);
    c.change("exited", code, c.health());
    return code;
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    Container c = existing(id);
    calls.add("exec " + c.name() + " " + String.join(" ", cmd));
    ExecResult r = execHook.apply(c.name(), cmd);
    if (r == null) {
      // busybox `wget -S` prints the status line of the answer on stderr
      r = new ExecResult(0, "", cmd.get(0).equals("wget") && cmd.contains("-S") ? "  HTTP/1.1 200 OK\n" : "");
    }
    if (r.exitCode() == 0 && "starting".equals(c.health())) {
      c.change(c.status(), 0, "healthy");
    }
    return r;
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    Container c = containers.get(id);
    List<String> lines = logLines.getOrDefault(c == null ? "" : c.name(), List.of());
    int from = request.tail() < 0 ? 0 : Math.max(0, lines.size() - request.tail());
    lines.subList(from, lines.size()).forEach(l -> listener.line(false, l));
    return subscription(() -> {});
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    listeners.add(listener);
    return subscription(() -> listeners.remove(listener));
  }

  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    throw new UnsupportedOperationException("copyIn");
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    throw new UnsupportedOperationException("copyOut");
  }

  @Override
  public void close() {}

  /** A stream that has already delivered everything; closing it runs {@code onClose}. */
  private static Subscription subscription(Runnable onClose) {
    return new Subscription() {
      @Override
      public void awaitCompletion() {}

      @Override
      public boolean awaitCompletion(Duration timeout) {
        return true;
      }

      @Override
      public void close() {
        onClose.run();
      }
    };
  }
}
