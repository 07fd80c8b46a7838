package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.EventListener;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PullListener;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;

import io.keikomon.core.Lazy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link DockerGateway} over docker-java with the zerodep transport (unix socket and TCP, no Netty or
 * Jersey). Two clients share the endpoint: one with a response timeout for plain requests, and one without
 * for calls that legitimately stay open (events, followed logs, pulls, builds, waits, exec). Where the endpoint allows
 * it (no TLS), {@link EngineHttp} carries the archive copies (the bulk transfers) and {@link EngineReads} the reads
 * and the volume create and remove: docker-java's first call costs half a second of class loading and set-up. Its
 * clients are built when a call first needs them, or in the background once {@link #expectChanges} says they will be
 * needed: building them in the background from the start made a no-op {@code up} slower on two cores (it needs none
 * of them, and the build takes CPU from its critical path: 2.8 s against 2.0 s, docs/benchmarks.md).
 */
public final class DockerJavaGateway implements DockerGateway {
  private final String endpoint;
  private final EngineCalls calls;
  /** Empty for TLS endpoints: then docker-java serves every call. */
  private final Optional<EngineReads> reads;
  private final Lazy<Clients> clients;

  /** docker-java's clients and the parts of this gateway that use them. */
  private record Clients(DockerClient requests, DockerClient streams, DockerJavaContainers containers,
      DockerJavaImages images, DockerJavaNetworks networks, DockerJavaVolumes volumes, DockerJavaLogs logs,
      DockerJavaEvents events, DockerJavaArchives archives) {
    static Clients build(String endpoint, Map<String, String> env, Duration connectTimeout, Duration responseTimeout,
        EngineCalls calls, Optional<EngineHttp> http) {
      DockerClientConfig config = config(endpoint, env);
      DockerClient requests = client(config, connectTimeout, responseTimeout);
      DockerClient streams = client(config, connectTimeout, null);
      return new Clients(requests, streams,
          new DockerJavaContainers(requests, streams, calls),
          new DockerJavaImages(requests, streams, calls),
          new DockerJavaNetworks(requests, calls),
          new DockerJavaVolumes(requests, calls),
          new DockerJavaLogs(streams, calls),
          new DockerJavaEvents(streams, calls),
          new DockerJavaArchives(endpoint, streams, http, calls));
    }
  }

  private DockerJavaGateway(String endpoint, EngineCalls calls, Optional<EngineReads> reads, Lazy<Clients> clients) {
    this.endpoint = endpoint;
    this.calls = calls;
    this.reads = reads;
    this.clients = clients;
  }

  /**
   * A gateway to {@code endpoint} (unix:// or tcp://). TLS settings come from {@code env}
   * (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), never from the process environment, so tests stay in control.
   * Nothing is contacted until the first call.
   */
  public static DockerJavaGateway open(String endpoint, Map<String, String> env, Duration connectTimeout,
      Duration responseTimeout) {
    return open(endpoint, env, connectTimeout, responseTimeout, true);
  }

  /** @param raw whether the reads may go over {@link EngineReads}; false: docker-java for all (tests, warm-up) */
  static DockerJavaGateway open(String endpoint, Map<String, String> env, Duration connectTimeout,
      Duration responseTimeout, boolean raw) {
    EngineCalls calls = new EngineCalls(endpoint);
    Optional<EngineHttp> http = raw(endpoint, env);
    Lazy<Clients> clients = Lazy.of(() -> Clients.build(endpoint, env, connectTimeout, responseTimeout, calls, http));
    if (!raw || http.isEmpty()) {
      clients.startMaking("keiko-mon-docker-java"); // every call needs them
    }
    return new DockerJavaGateway(endpoint, calls,
        raw ? http.map(h -> new EngineReads(endpoint, h, calls, responseTimeout)) : Optional.empty(), clients);
  }

  /** The raw transport for {@code endpoint}: a Unix socket, or tcp:// without TLS (DOCKER_TLS_VERIFY=1 in env). */
  static Optional<EngineHttp> raw(String endpoint, Map<String, String> env) {
    // docker-java's config has SSL exactly when DOCKER_TLS_VERIFY=1 (no custom SSL config is given)
    return EngineHttp.forEndpoint(endpoint, "1".equals(env.get("DOCKER_TLS_VERIFY")));
  }

  private static DockerClientConfig config(String endpoint, Map<String, String> env) {
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(endpoint)
        .withDockerTlsVerify("1".equals(env.get("DOCKER_TLS_VERIFY")));
    if (env.containsKey("DOCKER_CERT_PATH")) {
      builder.withDockerCertPath(env.get("DOCKER_CERT_PATH"));
    }
    return builder.build();
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

  /** docker-java's parts, waiting for their build when it has not finished. */
  private Clients dj() {
    return clients.get();
  }

  @Override
  public void expectChanges() {
    clients.startMaking("keiko-mon-docker-java");
  }

  @Override
  public EngineInfo info() {
    if (reads.isPresent()) {
      return reads.get().info();
    }
    Version v = calls.call("ask the engine for its version", () -> dj().requests().versionCmd().exec());
    return new EngineInfo(endpoint, v.getVersion(), v.getApiVersion(), v.getOperatingSystem(), v.getArch());
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return reads.isPresent() ? reads.get().listContainers(labels) : dj().containers().listContainers(labels);
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return reads.isPresent() ? reads.get().listNetworks(labels) : dj().networks().listNetworks(labels);
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return reads.isPresent() ? reads.get().listVolumes(labels) : dj().volumes().listVolumes(labels);
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    return reads.isPresent() ? reads.get().inspectContainer(idOrName) : dj().containers().inspectContainer(idOrName);
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return reads.isPresent() ? reads.get().inspectNetwork(idOrName) : dj().networks().inspectNetwork(idOrName);
  }

  @Override
  public Optional<VolumeInfo> inspectVolume(String name) {
    return reads.isPresent() ? reads.get().inspectVolume(name) : dj().volumes().inspectVolume(name);
  }

  @Override
  public String createNetwork(NetworkSpec spec) {
    return dj().networks().createNetwork(spec);
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    if (reads.isPresent()) {
      reads.get().createVolume(spec);
    } else {
      dj().volumes().createVolume(spec);
    }
  }

  @Override
  public void removeNetwork(String idOrName) {
    dj().networks().removeNetwork(idOrName);
  }

  @Override
  public void removeVolume(String name) {
    if (reads.isPresent()) {
      reads.get().removeVolume(name);
    } else {
      dj().volumes().removeVolume(name);
    }
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    return reads.isPresent() ? reads.get().inspectImage(reference) : dj().images().inspectImage(reference);
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    dj().images().pullImage(reference, progress);
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    return dj().images().buildImage(contextTar, tag);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return dj().containers().createContainer(spec);
  }

  @Override
  public void startContainer(String id) {
    dj().containers().startContainer(id);
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    dj().containers().stopContainer(id, grace);
  }

  @Override
  public void signalContainer(String id, String signal) {
    dj().containers().signalContainer(id, signal);
  }

  @Override
  public void removeContainer(String id, boolean force) {
    dj().containers().removeContainer(id, force);
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    return dj().containers().waitForExit(id, timeout);
  }

  @Override
  public ExecResult exec(String id, List<String> cmdLine, Duration timeout) {
    return dj().containers().exec(id, cmdLine, timeout);
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    return dj().logs().logs(id, request, listener);
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    return dj().events().events(filter, listener);
  }

  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    dj().archives().copyIn(id, remoteDir, tar);
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    return dj().archives().copyOut(id, remotePath);
  }

  @Override
  public io.keikomon.engine.SwarmGateway swarm() {
    return new DockerJavaSwarm(calls, dj().requests(), dj().streams());
  }

  @Override
  public void close() {
    // clients still being built were never used: they hold no connection
    clients.ifMade().ifPresent(c -> {
      EngineCalls.closeQuietly(c.requests());
      EngineCalls.closeQuietly(c.streams());
    });
  }

  /** The engine's own message when there is one (docker-java wraps it in JSON), else the innermost cause. */
  public static String reason(Throwable e) {
    return EngineCalls.reason(e);
  }
}
