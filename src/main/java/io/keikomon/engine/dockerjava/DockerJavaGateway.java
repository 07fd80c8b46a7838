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
 * for calls that legitimately stay open (events, followed logs, pulls, builds, waits, exec). Archive copies into and
 * out of containers go over {@link EngineHttp} where the endpoint allows it (no TLS): they are the bulk transfers.
 */
public final class DockerJavaGateway implements DockerGateway {
  private final String endpoint;
  private final DockerClient requests;
  private final DockerClient streams;
  private final EngineCalls calls;
  private final DockerJavaContainers containers;
  private final DockerJavaImages images;
  private final DockerJavaNetworks networks;
  private final DockerJavaVolumes volumes;
  private final DockerJavaLogs logs;
  private final DockerJavaEvents events;
  private final DockerJavaArchives archives;

  /** @param archives copies in and out; empty for TLS endpoints, which keep docker-java's transport */
  private DockerJavaGateway(String endpoint, DockerClient requests, DockerClient streams,
      Optional<EngineHttp> archives) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.streams = streams;
    this.calls = new EngineCalls(endpoint);
    this.containers = new DockerJavaContainers(requests, streams, calls);
    this.images = new DockerJavaImages(requests, streams, calls);
    this.networks = new DockerJavaNetworks(requests, calls);
    this.volumes = new DockerJavaVolumes(requests, calls);
    this.logs = new DockerJavaLogs(streams, calls);
    this.events = new DockerJavaEvents(streams, calls);
    this.archives = new DockerJavaArchives(endpoint, streams, archives, calls);
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
    Version v = calls.call("ask the engine for its version", () -> requests.versionCmd().exec());
    return new EngineInfo(endpoint, v.getVersion(), v.getApiVersion(), v.getOperatingSystem(), v.getArch());
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return containers.listContainers(labels);
  }

  @Override
  public List<NetworkInfo> listNetworks(Map<String, String> labels) {
    return networks.listNetworks(labels);
  }

  @Override
  public List<VolumeInfo> listVolumes(Map<String, String> labels) {
    return volumes.listVolumes(labels);
  }

  @Override
  public Optional<ContainerDetails> inspectContainer(String idOrName) {
    return containers.inspectContainer(idOrName);
  }

  @Override
  public Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return networks.inspectNetwork(idOrName);
  }

  @Override
  public Optional<VolumeInfo> inspectVolume(String name) {
    return volumes.inspectVolume(name);
  }

  @Override
  public String createNetwork(NetworkSpec spec) {
    return networks.createNetwork(spec);
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    volumes.createVolume(spec);
  }

  @Override
  public void removeNetwork(String idOrName) {
    networks.removeNetwork(idOrName);
  }

  @Override
  public void removeVolume(String name) {
    volumes.removeVolume(name);
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    return images.inspectImage(reference);
  }

  @Override
  public void pullImage(String reference, PullListener progress) {
    images.pullImage(reference, progress);
  }

  @Override
  public String buildImage(InputStream contextTar, String tag) {
    return images.buildImage(contextTar, tag);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return containers.createContainer(spec);
  }

  @Override
  public void startContainer(String id) {
    containers.startContainer(id);
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    containers.stopContainer(id, grace);
  }

  @Override
  public void signalContainer(String id, String signal) {
    containers.signalContainer(id, signal);
  }

  @Override
  public void removeContainer(String id, boolean force) {
    containers.removeContainer(id, force);
  }

  @Override
  public int waitForExit(String id, Duration timeout) {
    return containers.waitForExit(id, timeout);
  }

  @Override
  public ExecResult exec(String id, List<String> cmdLine, Duration timeout) {
    return containers.exec(id, cmdLine, timeout);
  }

  @Override
  public Subscription logs(String id, LogRequest request, LogListener listener) {
    return logs.logs(id, request, listener);
  }

  @Override
  public Subscription events(EventFilter filter, EventListener listener) {
    return events.events(filter, listener);
  }

  @Override
  public void copyIn(String id, String remoteDir, InputStream tar) {
    archives.copyIn(id, remoteDir, tar);
  }

  @Override
  public InputStream copyOut(String id, String remotePath) {
    return archives.copyOut(id, remotePath);
  }

  @Override
  public io.keikomon.engine.SwarmGateway swarm() {
    return new DockerJavaSwarm(calls, requests, streams);
  }

  @Override
  public void close() {
    EngineCalls.closeQuietly(requests);
    EngineCalls.closeQuietly(streams);
  }

  /** The engine's own message when there is one (docker-java wraps it in JSON), else the innermost cause. */
  public static String reason(Throwable e) {
    return EngineCalls.reason(e);
  }
}
