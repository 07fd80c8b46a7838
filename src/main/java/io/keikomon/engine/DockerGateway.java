package io.keikomon.engine;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The narrow view keiko-mon has of a Docker Engine: what up, down, status, logs, validate and backup need,
 * in plain records so no caller (and no fake in a test) depends on docker-java.
 *
 * <p>Lookups return {@link Optional#empty()} for things that do not exist; removals of things that are
 * already gone succeed quietly. Every other engine failure is a {@link DockerOperationException}.
 */
public interface DockerGateway extends AutoCloseable {

  /**
   * A hint that calls which change things (create, start, stop, exec, logs...) will follow soon, so a transport that
   * sets up lazily can start now, beside the caller's other work. Calls work without it.
   */
  default void expectChanges() {}

  /** Version, API version and capabilities of the engine this gateway talks to. */
  EngineInfo info();

  /** Containers (running or not) carrying all of {@code labels}. */
  List<ContainerSummary> listContainers(Map<String, String> labels);

  /** Networks carrying all of {@code labels}. */
  List<NetworkInfo> listNetworks(Map<String, String> labels);

  /** Volumes carrying all of {@code labels}. */
  List<VolumeInfo> listVolumes(Map<String, String> labels);

  Optional<ContainerDetails> inspectContainer(String idOrName);

  Optional<NetworkInfo> inspectNetwork(String idOrName);

  Optional<VolumeInfo> inspectVolume(String name);

  /** Creates the network and returns its id. */
  String createNetwork(NetworkSpec spec);

  void createVolume(VolumeSpec spec);

  void removeNetwork(String idOrName);

  void removeVolume(String name);

  Optional<ImageInfo> inspectImage(String reference);

  default boolean imageExists(String reference) {
    return inspectImage(reference).isPresent();
  }

  /** Pulls {@code reference}, reporting each progress message; returns when the pull is complete. */
  void pullImage(String reference, PullListener progress);

  /**
   * Builds an image from a tar build context (holding a Dockerfile at its root) and tags it {@code tag}.
   * Returns the image id.
   */
  String buildImage(InputStream contextTar, String tag);

  /** Creates (but does not start) a container; returns its id. */
  String createContainer(ContainerSpec spec);

  void startContainer(String id);

  /** Creates and starts a container; returns its id. */
  default String createAndStart(ContainerSpec spec) {
    String id = createContainer(spec);
    startContainer(id);
    return id;
  }

  /** Stops the container, killing it after {@code grace}. A stopped container is left as it is. */
  void stopContainer(String id, Duration grace);

  /** Sends a signal (e.g. "HUP") to the container's main process. */
  void signalContainer(String id, String signal);

  /** Removes the container, killing it first if {@code force}; its anonymous volumes go with it. */
  void removeContainer(String id, boolean force);

  /** Blocks until the container exits or {@code timeout} passes; returns its exit code. */
  int waitForExit(String id, Duration timeout);

  /**
   * Runs {@code cmd} inside the running container and waits for it, at most {@code timeout}; when it takes
   * longer the result has exit code {@link ExecResult#TIMED_OUT} and what it printed so far.
   */
  ExecResult exec(String id, List<String> cmd, Duration timeout);

  /** Streams the container's log lines to {@code listener}; with {@code follow} until closed. */
  Subscription logs(String id, LogRequest request, LogListener listener);

  /** Streams container events matching {@code filter} until the subscription is closed. */
  Subscription events(EventFilter filter, EventListener listener);

  /** Extracts a tar archive into {@code remoteDir} (which must exist) of the container. */
  void copyIn(String id, String remoteDir, InputStream tar);

  /** A tar archive of {@code remotePath} in the container; the caller closes it. */
  InputStream copyOut(String id, String remotePath);

  /**
   * The Swarm API of this engine (services, tasks, configs, secrets). An engine without it (a test fake) throws
   * {@link DockerOperationException}.
   */
  default SwarmGateway swarm() {
    throw new DockerOperationException(DockerOperationException.Kind.OTHER, "this engine connection has no Swarm API",
        null, null);
  }

  /** Releases the connection; never throws. */
  @Override
  void close();
}
