package io.keikomon.testing;

import io.keikomon.docker.ContainerDetails;
import io.keikomon.docker.ContainerSpec;
import io.keikomon.docker.ContainerState;
import io.keikomon.docker.ContainerSummary;
import io.keikomon.docker.DockerGateway;
import io.keikomon.docker.DockerOperationException;
import io.keikomon.docker.EngineInfo;
import io.keikomon.docker.EventFilter;
import io.keikomon.docker.EventListener;
import io.keikomon.docker.ExecResult;
import io.keikomon.docker.ImageInfo;
import io.keikomon.docker.LogListener;
import io.keikomon.docker.LogRequest;
import io.keikomon.docker.NetworkInfo;
import io.keikomon.docker.NetworkSpec;
import io.keikomon.docker.PullListener;
import io.keikomon.docker.Subscription;
import io.keikomon.docker.VolumeInfo;
import io.keikomon.docker.VolumeSpec;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An engine in memory for unit tests: containers, networks and volumes you put in, log lines you give
 * each container, and a journal of every changing call ({@link #calls()}). Operations a test has not set
 * up throw, so a test cannot pass by accident through an unexpected call.
 */
public final class FakeDockerGateway implements DockerGateway {
  private final Map<String, ContainerDetails> containers = new LinkedHashMap<>();
  private final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
  private final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();
  private final Map<String, List<String>> logs = new LinkedHashMap<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Set<String> refuseRemoval = new java.util.HashSet<>();

  public FakeDockerGateway container(ContainerDetails c) {
    containers.put(c.id(), c);
    return this;
  }

  public FakeDockerGateway network(NetworkInfo n) {
    networks.put(n.id(), n);
    return this;
  }

  public FakeDockerGateway volume(VolumeInfo v) {
    volumes.put(v.name(), v);
    return this;
  }

  public FakeDockerGateway logLines(String containerId, String... lines) {
    logs.put(containerId, List.of(lines));
    return this;
  }

  /** Removing this container fails the way the engine fails (a {@link DockerOperationException}). */
  public FakeDockerGateway refuseRemoval(String containerId) {
    refuseRemoval.add(containerId);
    return this;
  }

  /** "stop ID", "remove ID", "remove-network NAME", "remove-volume NAME", in call order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public Map<String, ContainerDetails> containers() {
    return Map.copyOf(containers);
  }

  public Map<String, VolumeInfo> volumes() {
    return Map.copyOf(volumes);
  }

  private static boolean matches(Map<String, String> have, Map<String, String> want) {
    return want.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo("fake://", "24.0.7", "1.43", "linux", "amd64");
  }

  @Override
  public synchronized List<ContainerSummary> listContainers(Map<String, String> labels) {
    return containers.values().stream().filter(c -> matches(c.labels(), labels))
        .map(c -> new ContainerSummary(c.id(), c.name(), c.image(), c.state().status(), c.labels())).toList();
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
  public synchronized Optional<ContainerDetails> inspectContainer(String idOrName) {
    return containers.values().stream().filter(c -> c.id().equals(idOrName) || c.name().equals(idOrName)).findFirst();
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
    throw new UnsupportedOperationException("createNetwork");
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    throw new UnsupportedOperationException("createVolume");
  }

  @Override
  public void removeNetwork(String idOrName) {
    calls.add("remove-network " + idOrName);
    networks.values().removeIf(n -> n.id().equals(idOrName) || n.name().equals(idOrName));
  }

  @Override
  public void removeVolume(String name) {
    calls.add("remove-volume " + name);
    volumes.remove(name);
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    throw new UnsupportedOperationException("inspectImage");
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    throw new UnsupportedOperationException("pullImage");
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    throw new UnsupportedOperationException("buildImage");
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    throw new UnsupportedOperationException("createContainer");
  }

  @Override
  public void startContainer(String id) {
    throw new UnsupportedOperationException("startContainer");
  }

  @Override
  public synchronized void stopContainer(String id, Duration grace) {
    calls.add("stop " + id);
    ContainerDetails c = containers.get(id);
    if (c != null) {
      ContainerState s = c.state();
      containers.put(id, new ContainerDetails(c.id(), c.name(), c.image(), c.imageId(), c.labels(),
          new ContainerState("exited", false, 0, false, s.startedAt(), s.startedAt(), s.health(), ""), c.ports(),
          c.networks(), c.created()));
    }
  }

  @Override
  public void signalContainer(String id, String signal) {
    throw new UnsupportedOperationException("signalContainer");
  }

  @Override
  public synchronized void removeContainer(String id, boolean force) {
    calls.add("remove " + id);
    if (refuseRemoval.contains(id)) {
      throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
          "could not remove container " + id + " (fake://): device or resource busy", null, null);
    }
    containers.remove(id);
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    throw new UnsupportedOperationException("waitForExit");
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    throw new UnsupportedOperationException("exec");
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    List<String> lines = logs.getOrDefault(id, List.of());
    int from = request.tail() < 0 ? 0 : Math.max(0, lines.size() - request.tail());
    lines.subList(from, lines.size()).forEach(l -> listener.line(false, l));
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

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    throw new UnsupportedOperationException("events");
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
}
