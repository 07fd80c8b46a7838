package io.keikomon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link DockerGateway} over docker-java with the zerodep transport (unix socket and TCP, no Netty or
 * Jersey). Two clients share the endpoint: one with a response timeout for plain requests, and one without
 * for calls that legitimately stay open (events, followed logs, pulls, builds, waits, exec).
 */
public final class DockerJavaGateway implements DockerGateway {
  private static final String ENGINE_HINT = "check that the Docker Engine is running (`docker info`)";

  private final String endpoint;
  private final DockerClient requests;
  private final DockerClient streams;

  private DockerJavaGateway(String endpoint, DockerClient requests, DockerClient streams) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.streams = streams;
  }

  /**
   * A gateway to {@code endpoint} (unix:// or tcp://). TLS settings come from {@code env}
   * (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), never from the process environment, so tests stay in control.
   * Nothing is contacted until the first call.
   */
  public static DockerJavaGateway open(String endpoint, Map<String, String> env, Duration connectTimeout,
      Duration responseTimeout) {
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(endpoint)
        .withDockerTlsVerify("1".equals(env.get("DOCKER_TLS_VERIFY")));
    if (env.containsKey("DOCKER_CERT_PATH")) {
      builder.withDockerCertPath(env.get("DOCKER_CERT_PATH"));
    }
    DockerClientConfig config = builder.build();
    return new DockerJavaGateway(endpoint,
        client(config, connectTimeout, responseTimeout),
        client(config, connectTimeout, null));
  }

  private static DockerClient client(DockerClientConfig config, Duration connectTimeout, Duration responseTimeout) {
    ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(50)
        .connectionTimeout(connectTimeout);
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }

  @Override
  public EngineInfo info() {
    Version v = call("ask the engine for its version", () -> requests.versionCmd().exec());
    return new EngineInfo(endpoint, v.getVersion(), v.getApiVersion(), v.getOperatingSystem(), v.getArch());
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    List<Container> found = call("list containers",
        () -> requests.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec());
    List<ContainerSummary> result = new ArrayList<>();
    for (Container c : found) {
      String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : stripSlash(c.getNames()[0]);
      result.add(new ContainerSummary(c.getId(), name, c.getImage(), c.getState(), nullToEmpty(c.getLabels())));
    }
    return result;
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    List<Network> found = call("list networks",
        () -> requests.listNetworksCmd().withFilter("label", labelFilters(labels)).exec());
    return found.stream().map(DockerJavaGateway::network).toList();
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    List<InspectVolumeResponse> found = call("list volumes",
        () -> requests.listVolumesCmd().withFilter("label", labelFilters(labels)).exec().getVolumes());
    return found == null ? List.of() : found.stream().map(DockerJavaGateway::volume).toList();
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    return lookup("inspect container " + idOrName,
        () -> details(requests.inspectContainerCmd(idOrName).exec()));
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return lookup("inspect network " + idOrName,
        () -> network(requests.inspectNetworkCmd().withNetworkId(idOrName).exec()));
  }

  @Override
  public Optional<VolumeInfo> inspectVolume(String name) {
    return lookup("inspect volume " + name, () -> volume(requests.inspectVolumeCmd(name).exec()));
  }

  @Override
  public String createNetwork(NetworkSpec spec) {
    return call("create network " + spec.name(), () -> requests.createNetworkCmd()
        .withName(spec.name())
        .withDriver(spec.driver() == null ? "bridge" : spec.driver())
        .withLabels(spec.labels())
        .withAttachable(spec.attachable())
        .withCheckDuplicate(true)
        .exec().getId());
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    call("create volume " + spec.name(), () -> requests.createVolumeCmd()
        .withName(spec.name())
        .withDriver(spec.driver() == null ? "local" : spec.driver())
        .withLabels(spec.labels())
        .exec());
  }

  @Override
  public void removeNetwork(String idOrName) {
    quietlyIfGone("remove network " + idOrName, () -> requests.removeNetworkCmd(idOrName).exec());
  }

  @Override
  public void removeVolume(String name) {
    quietlyIfGone("remove volume " + name, () -> requests.removeVolumeCmd(name).exec());
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    return lookup("inspect image " + reference, () -> {
      InspectImageResponse r = requests.inspectImageCmd(reference).exec();
      Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
      return new ImageInfo(r.getId(), r.getRepoTags() == null ? List.of() : r.getRepoTags(), nullToEmpty(labels));
    });
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    ImageReference ref = ImageReference.parse(reference);
    ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(PullResponseItem item) {
        if (item.isErrorIndicated()) {
          String message = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
          onError(new DockerOperationException(DockerOperationException.Kind.OTHER,
              "could not pull " + reference + ": " + message, null, null));
          return;
        }
        long current = -1;
        long total = -1;
        if (item.getProgressDetail() != null) {
          current = orMinusOne(item.getProgressDetail().getCurrent());
          total = orMinusOne(item.getProgressDetail().getTotal());
        }
        progress.progress(item.getId(), item.getStatus(), current, total);
      }
    };
    call("pull " + reference, () -> {
      streams.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest()).exec(callback).awaitCompletion();
      return null;
    });
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    return call("build image " + tag, () -> streams.buildImageCmd(contextTar)
        .withTags(Set.of(tag))
        .withPull(false)
        .withRemove(true)
        .exec(new BuildImageResultCallback())
        .awaitImageId());
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    String id = call("create container " + spec.name(), () -> createCmd(spec).exec().getId());
    List<NetworkAttachment> more = spec.networks().size() > 1 ? spec.networks().subList(1, spec.networks().size())
        : List.of();
    for (NetworkAttachment n : more) {
      call("connect " + spec.name() + " to network " + n.network(), () -> {
        requests.connectToNetworkCmd().withContainerId(id).withNetworkId(n.network())
            .withContainerNetwork(new ContainerNetwork().withAliases(n.aliases())).exec();
        return null;
      });
    }
    return id;
  }

  private CreateContainerCmd createCmd(ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig();
    List<Bind> binds = new ArrayList<>();
    for (Mount m : spec.mounts()) {
      PropagationMode propagation = m.propagation() == null ? PropagationMode.DEFAULT_MODE
          : PropagationMode.fromString(m.propagation());
      binds.add(new Bind(m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw,
          SELContext.DEFAULT, null, propagation));
    }
    host.withBinds(binds);
    List<ExposedPort> exposed = new ArrayList<>();
    Ports ports = new Ports();
    for (PortBinding p : spec.ports()) {
      ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
      exposed.add(port);
      ports.bind(port, p.hostIp() == null || p.hostIp().isEmpty()
          ? Ports.Binding.bindPort(p.hostPort())
          : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
    }
    host.withPortBindings(ports);
    if (!spec.extraHosts().isEmpty()) {
      host.withExtraHosts(spec.extraHosts().toArray(String[]::new));
    }
    if (spec.networkMode() != null) {
      host.withNetworkMode(spec.networkMode());
    } else if (!spec.networks().isEmpty()) {
      host.withNetworkMode(spec.networks().get(0).network());
    }
    if (spec.restartPolicy() != null) {
      host.withRestartPolicy(RestartPolicy.parse(spec.restartPolicy()));
    }
    if (spec.pidMode() != null) {
      host.withPidMode(spec.pidMode());
    }
    CreateContainerCmd cmd = requests.createContainerCmd(spec.image())
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withExposedPorts(exposed)
        .withHostConfig(host);
    if (spec.cmd() != null) {
      cmd.withCmd(spec.cmd());
    }
    if (spec.entrypoint() != null) {
      cmd.withEntrypoint(spec.entrypoint());
    }
    if (spec.user() != null) {
      cmd.withUser(spec.user());
    }
    if (spec.workingDir() != null) {
      cmd.withWorkingDir(spec.workingDir());
    }
    if (spec.networkMode() == null && !spec.networks().isEmpty() && !spec.networks().get(0).aliases().isEmpty()) {
      // docker-java puts these into the EndpointsConfig of the network named by NetworkMode.
      cmd.withAliases(spec.networks().get(0).aliases());
    }
    if (spec.healthcheck() != null) {
      cmd.withHealthcheck(healthcheck(spec.healthcheck()));
    }
    return cmd;
  }

  /** The engine wants nanoseconds; null leaves the engine default. */
  static HealthCheck healthcheck(HealthcheckSpec spec) {
    HealthCheck hc = new HealthCheck().withTest(spec.test());
    if (spec.interval() != null) {
      hc.withInterval(spec.interval().toNanos());
    }
    if (spec.timeout() != null) {
      hc.withTimeout(spec.timeout().toNanos());
    }
    if (spec.startPeriod() != null) {
      hc.withStartPeriod(spec.startPeriod().toNanos());
    }
    if (spec.retries() > 0) {
      hc.withRetries(spec.retries());
    }
    return hc;
  }

  @Override
  public void startContainer(String id) {
    call("start container " + id, () -> {
      try {
        requests.startContainerCmd(id).exec();
      } catch (NotModifiedException alreadyRunning) {
        // started already: that is what the caller wants
      }
      return null;
    });
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    quietlyIfGone("stop container " + id, () -> {
      try {
        streams.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
      } catch (NotModifiedException alreadyStopped) {
        // stopped already
      }
    });
  }

  @Override
  public void signalContainer(String id, String signal) {
    call("send " + signal + " to container " + id, () -> {
      requests.killContainerCmd(id).withSignal(signal).exec();
      return null;
    });
  }

  @Override
  public void removeContainer(String id, boolean force) {
    quietlyIfGone("remove container " + id, () -> {
      try {
        streams.removeContainerCmd(id).withForce(force).withRemoveVolumes(true).exec();
      } catch (ConflictException e) {
        if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
          throw e;
        }
      }
    });
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    WaitContainerResultCallback callback = new WaitContainerResultCallback();
    try {
      return call("wait for container " + id, () -> streams.waitContainerCmd(id).exec(callback)
          .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      closeQuietly(callback);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> cmdLine, Duration timeout) {
    String execId = call("run " + String.join(" ", cmdLine) + " in container " + id,
        () -> requests.execCreateCmd(id).withCmd(cmdLine.toArray(String[]::new))
            .withAttachStdout(true).withAttachStderr(true).exec().getId());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
      }
    };
    boolean finished = call("run " + cmdLine.get(0) + " in container " + id,
        () -> streams.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS));
    closeQuietly(callback);
    if (!finished) {
      // a probe that hangs is an answer too (the caller decides what it means), not an engine failure
      return new ExecResult(ExecResult.TIMED_OUT, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8) + "(no result within " + timeout.toMillis() + " ms)\n");
    }
    Long code = call("inspect exec " + execId, () -> requests.inspectExecCmd(execId).exec().getExitCodeLong());
    return new ExecResult(code == null ? -1 : code.intValue(),
        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    LineAssembler stdout = new LineAssembler(line -> listener.line(false, line));
    LineAssembler stderr = new LineAssembler(line -> listener.line(true, line));
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload());
      }

      @Override
      public void onComplete() {
        stdout.finish();
        stderr.finish();
        super.onComplete();
      }
    };
    LogContainerCmd cmd = streams.logContainerCmd(id).withStdOut(true).withStdErr(true)
        .withFollowStream(request.follow());
    if (request.tail() >= 0) {
      cmd.withTail(request.tail());
    } else {
      cmd.withTailAll();
    }
    if (request.since() != null) {
      cmd.withSince((int) request.since().getEpochSecond());
    }
    return new CallbackSubscription(call("read the log of container " + id, () -> cmd.exec(callback)));
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event e) {
        Map<String, String> attributes = e.getActor() == null ? Map.of() : nullToEmpty(e.getActor().getAttributes());
        Instant time = e.getTimeNano() != null ? Instant.ofEpochSecond(0, e.getTimeNano())
            : Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        // newer engines put the container id only on the actor
        String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        listener.event(new ContainerEvent(id, action, attributes, time));
      }

      @Override
      public void onError(Throwable t) {
        listener.failed(t);
        super.onError(t);
      }
    };
    var cmd = streams.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withLabelFilter(filter.labels());
    if (!filter.actions().isEmpty()) {
      cmd.withEventFilter(filter.actions().toArray(String[]::new));
    }
    return new CallbackSubscription(call("watch engine events", () -> cmd.exec(callback)));
  }

  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    call("copy files into container " + id, () -> {
      streams.copyArchiveToContainerCmd(id).withRemotePath(remoteDir).withTarInputStream(tar).exec();
      return null;
    });
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    return call("copy " + remotePath + " out of container " + id,
        () -> streams.copyArchiveFromContainerCmd(id, remotePath).exec());
  }

  @Override
  public void close() {
    closeQuietly(requests);
    closeQuietly(streams);
  }

  // --- mapping docker-java objects to records ---

  private static ContainerDetails details(InspectContainerResponse r) {
    InspectContainerResponse.ContainerState s = r.getState();
    Health health = null;
    HealthState hs = s == null ? null : s.getHealth();
    if (hs != null && hs.getStatus() != null) {
      List<HealthProbe> log = new ArrayList<>();
      for (HealthStateLog l : hs.getLog() == null ? List.<HealthStateLog>of() : hs.getLog()) {
        log.add(new HealthProbe(instant(l.getStart()), instant(l.getEnd()),
            l.getExitCodeLong() == null ? -1 : l.getExitCodeLong().intValue(), nullToEmpty(l.getOutput())));
      }
      health = new Health(hs.getStatus(), hs.getFailingStreak() == null ? 0 : hs.getFailingStreak(), log);
    }
    ContainerState state = s == null
        ? new ContainerState("unknown", false, -1, false, null, null, null, "")
        : new ContainerState(s.getStatus(), Boolean.TRUE.equals(s.getRunning()),
            s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), Boolean.TRUE.equals(s.getOOMKilled()),
            instant(s.getStartedAt()), instant(s.getFinishedAt()), health, nullToEmpty(s.getError()));
    List<PublishedPort> ports = new ArrayList<>();
    List<String> networks = new ArrayList<>();
    if (r.getNetworkSettings() != null) {
      if (r.getNetworkSettings().getPorts() != null) {
        r.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
          for (Ports.Binding b : bindings == null ? new Ports.Binding[0] : bindings) {
            ports.add(new PublishedPort(b.getHostIp(), Integer.parseInt(b.getHostPortSpec()), exposed.getPort(),
                exposed.getProtocol().toString()));
          }
        });
      }
      if (r.getNetworkSettings().getNetworks() != null) {
        networks.addAll(r.getNetworkSettings().getNetworks().keySet());
      }
    }
    ports.sort((a, b) -> a.containerPort() != b.containerPort() ? Integer.compare(a.containerPort(), b.containerPort())
        : a.hostIp().compareTo(b.hostIp()));
    Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
    String image = r.getConfig() == null ? null : r.getConfig().getImage();
    return new ContainerDetails(r.getId(), stripSlash(r.getName()), image, r.getImageId(), nullToEmpty(labels), state,
        ports, networks, instant(r.getCreated()));
  }

  private static NetworkInfo network(Network n) {
    return new NetworkInfo(n.getId(), n.getName(), n.getDriver(), nullToEmpty(n.getLabels()));
  }

  private static VolumeInfo volume(InspectVolumeResponse v) {
    return new VolumeInfo(v.getName(), v.getDriver(), nullToEmpty(v.getLabels()));
  }

  /** Engine timestamps are RFC 3339 with nanoseconds; "0001-01-01T00:00:00Z" means never. */
  static Instant instant(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return java.time.OffsetDateTime.parse(text).toInstant();
    }
  }

  private static List<String> labelFilters(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static String stripSlash(String name) {
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  private static Map<String, String> nullToEmpty(Map<String, String> map) {
    return map == null ? Map.of() : new LinkedHashMap<>(map);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static long orMinusOne(Long value) {
    return value == null ? -1 : value;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; the stream or connection is gone either way
    }
  }

  // --- error mapping ---

  private interface EngineCall<T> {
    T run() throws Exception;
  }

  private interface EngineAction {
    void run() throws Exception;
  }

  private <T> T call(String what, EngineCall<T> action) {
    try {
      return action.run();
    } catch (DockerOperationException e) {
      throw e;
    } catch (NotFoundException e) {
      throw failure(DockerOperationException.Kind.NOT_FOUND, what, e);
    } catch (ConflictException e) {
      throw failure(DockerOperationException.Kind.CONFLICT, what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(DockerOperationException.Kind.OTHER, what, e);
    } catch (Exception e) {
      throw failure(DockerOperationException.Kind.OTHER, what, e);
    }
  }

  private <T> Optional<T> lookup(String what, EngineCall<T> action) {
    try {
      return Optional.of(call(what, action));
    } catch (DockerOperationException e) {
      if (e.kind() == DockerOperationException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void quietlyIfGone(String what, EngineAction action) {
    try {
      call(what, () -> {
        action.run();
        return null;
      });
    } catch (DockerOperationException e) {
      if (e.kind() != DockerOperationException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  private DockerOperationException failure(DockerOperationException.Kind kind, String what, Exception e) {
    String reason = reason(e);
    String hint = kind == DockerOperationException.Kind.OTHER && !(e instanceof DockerException) ? ENGINE_HINT : null;
    return new DockerOperationException(kind, "could not " + what + " (" + endpoint + "): " + reason, hint, e);
  }

  /** The engine's own message when there is one (docker-java wraps it in JSON), else the innermost cause. */
  static String reason(Throwable e) {
    if (e instanceof DockerException de) {
      String body = de.getMessage() == null ? "" : de.getMessage().replaceFirst("^Status \\d+: ", "").trim();
      if (body.startsWith("{")) {
        try {
          com.fasterxml.jackson.databind.JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(body).path("message");
          if (message.isTextual()) {
            return message.asText();
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
          // fall through: show the body as the engine sent it
        }
      }
      return body;
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : message + " (" + root.getClass().getSimpleName() + ")";
  }

  /** Wraps a docker-java callback as a {@link Subscription}. */
  private static final class CallbackSubscription implements Subscription {
    private final ResultCallback.Adapter<?> callback;

    CallbackSubscription(ResultCallback.Adapter<?> callback) {
      this.callback = callback;
    }

    @Override
    public void awaitCompletion() throws InterruptedException {
      callback.awaitCompletion();
    }

    @Override
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
      return callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      closeQuietly(callback);
    }
  }
}
