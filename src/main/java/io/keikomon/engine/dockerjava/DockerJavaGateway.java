package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerEvent;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineConnector;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.EventListener;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.NetworkAttachment;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PullListener;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.details;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.network;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.nullToEmpty;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.stripSlash;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.volume;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link DockerGateway} over docker-java with the zerodep transport (unix socket and TCP, no Netty or
 * Jersey). Two clients share the endpoint: one with a response timeout for plain requests, and one without
 * for calls that legitimately stay open (events, followed logs, pulls, builds, waits, exec). Archive copies into and
 * out of containers go over {@link EngineHttp} where the endpoint allows it (no TLS): they are the bulk transfers.
 */
public final class DockerJavaGateway implements DockerGateway {
  private static final String ENGINE_HINT = "check that the Docker Engine is running (`docker info`)";

  private final String endpoint;
  private final DockerClient requests;
  private final DockerClient streams;
  /** Archive copies in and out; empty for TLS endpoints, which keep docker-java's transport. */
  private final Optional<EngineHttp> archives;

  private DockerJavaGateway(String endpoint, DockerClient requests, DockerClient streams,
      Optional<EngineHttp> archives) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.streams = streams;
    this.archives = archives;
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
        client(config, connectTimeout, null),
        EngineHttp.forEndpoint(endpoint, config.getSSLConfig() != null));
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
    return found.stream().map(DockerJavaRecords::network).toList();
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    List<InspectVolumeResponse> found = call("list volumes",
        () -> requests.listVolumesCmd().withFilter("label", labelFilters(labels)).exec().getVolumes());
    return found == null ? List.of() : found.stream().map(DockerJavaRecords::volume).toList();
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
    String id = call("create container " + spec.name(), () -> ContainerCreation.command(requests, spec).exec().getId());
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

  /** Log frames of a container or a service as whole lines, stdout and stderr apart. */
  static ResultCallback.Adapter<Frame> frameLines(LogListener listener) {
    LineAssembler stdout = new LineAssembler(line -> listener.line(false, line));
    LineAssembler stderr = new LineAssembler(line -> listener.line(true, line));
    return new ResultCallback.Adapter<>() {
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
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    ResultCallback.Adapter<Frame> callback = frameLines(listener);
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
    String what = "copy files into container " + id;
    call(what, () -> {
      if (archives.isEmpty()) {
        streams.copyArchiveToContainerCmd(id).withRemotePath(remoteDir).withTarInputStream(tar).exec();
        return null;
      }
      try (EngineHttp.Response r = archives.get().put(archivePath(id, remoteDir), "application/x-tar",
          out -> copy(tar, out))) {
        if (r.status() != 200) {
          throw engineStatus(what, r);
        }
      }
      return null;
    });
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    String what = "copy " + remotePath + " out of container " + id;
    return call(what, () -> {
      if (archives.isEmpty()) {
        return streams.copyArchiveFromContainerCmd(id, remotePath).exec();
      }
      EngineHttp.Response r = archives.get().get(archivePath(id, remotePath));
      if (r.status() == 200) {
        return r.body();
      }
      try (r) {
        throw engineStatus(what, r);
      }
    });
  }

  private static String archivePath(String id, String path) {
    return "/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/archive?path="
        + URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  private static void copy(InputStream in, java.io.OutputStream out) throws java.io.IOException {
    byte[] buffer = new byte[EngineHttp.BUFFER];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
  }

  /** An error answer of the engine, with its message, as docker-java would have reported it. */
  private DockerOperationException engineStatus(String what, EngineHttp.Response r) throws java.io.IOException {
    String body = r.text().trim();
    String message = body;
    try {
      com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)
          .path("message");
      message = m.isTextual() ? m.asText() : body;
    } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
      // the body as the engine sent it
    }
    DockerOperationException.Kind kind = switch (r.status()) {
      case 404 -> DockerOperationException.Kind.NOT_FOUND;
      case 409 -> DockerOperationException.Kind.CONFLICT;
      default -> DockerOperationException.Kind.OTHER;
    };
    return new DockerOperationException(kind, "could not " + what + " (" + endpoint + "): "
        + (message.isEmpty() ? "HTTP " + r.status() : message), null, null);
  }

  @Override
  public io.keikomon.engine.SwarmGateway swarm() {
    return new DockerJavaSwarm(this, requests, streams);
  }

  @Override
  public void close() {
    closeQuietly(requests);
    closeQuietly(streams);
  }

  private static List<String> labelFilters(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
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

  interface EngineCall<T> {
    T run() throws Exception;
  }

  interface EngineAction {
    void run() throws Exception;
  }

  <T> T call(String what, EngineCall<T> action) {
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

  <T> Optional<T> lookup(String what, EngineCall<T> action) {
    try {
      return Optional.of(call(what, action));
    } catch (DockerOperationException e) {
      if (e.kind() == DockerOperationException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  void quietlyIfGone(String what, EngineAction action) {
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
  public static String reason(Throwable e) {
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
    return EngineConnector.rootReason(e);
  }

  /** Wraps a docker-java callback as a {@link Subscription}. */
  static final class CallbackSubscription implements Subscription {
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
