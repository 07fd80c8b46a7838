package io.keikomon.engine;

import io.keikomon.core.Digests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.core.DockerUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the Docker Engine to talk to, the way the docker CLI does: {@code DOCKER_HOST}, else the current
 * Docker context ({@code DOCKER_CONTEXT} or {@code currentContext} in ~/.docker/config.json), else the
 * default socket, else the rootless socket ({@code $XDG_RUNTIME_DIR/docker.sock}).
 *
 * <p>An explicit choice (DOCKER_HOST or a non-default context) is the only endpoint tried: falling back
 * from it would silently start or remove containers on a different engine than the user named. Without
 * one, the default and rootless sockets are tried in turn. When nothing answers, the
 * {@link DockerUnavailableException} lists every endpoint tried and why it failed.
 */
public final class EngineConnector {
  public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);
  /**
   * When a ping that ignored its timeout is abandoned. Longer than the timeout: the first ping also loads and
   * links docker-java, which takes seconds of CPU on a loaded machine.
   */
  static final Duration PING_ABANDONED = Duration.ofSeconds(8);

  /** Asks one endpoint for its version within {@code timeout}; throws when it does not answer. */
  @FunctionalInterface
  public interface Pinger {
    EngineInfo ping(String endpoint, Duration timeout) throws Exception;

    /** A short reason for what {@link #ping} threw; transports that know their exceptions say more. */
    default String reason(Throwable e) {
      return rootReason(e);
    }
  }

  /** One endpoint tried and why it did not do. */
  public record Attempt(String endpoint, String source, String failure) {
    @Override
    public String toString() {
      return endpoint + " (" + source + "): " + failure;
    }
  }

  /** The endpoint that answered. */
  public record Found(String endpoint, String source, EngineInfo engine) {}

  private record Candidate(String endpoint, String source, String failure) {}

  private final Map<String, String> env;
  private final Path home;
  private final Pinger pinger;

  public EngineConnector(Map<String, String> env, Path home, Pinger pinger) {
    this.env = env;
    this.home = home;
    this.pinger = pinger;
  }

  /** Tries the candidates in order and returns the first that answers. */
  public Found locate() {
    List<Attempt> attempts = new ArrayList<>();
    for (Candidate c : candidates()) {
      String failure = c.failure() != null ? c.failure() : unsupported(c.endpoint());
      if (failure != null) {
        attempts.add(new Attempt(c.endpoint(), c.source(), failure));
        continue;
      }
      try {
        return new Found(c.endpoint(), c.source(), pingWithin(c.endpoint()));
      } catch (Exception e) {
        attempts.add(new Attempt(c.endpoint(), c.source(), describe(e)));
      }
    }
    throw unavailable(attempts);
  }

  /**
   * The pinger is given the timeout, but a transport may not honour it (docker-java's Unix socket ignores it when
   * the engine accepts and never answers), so the ping also runs on a daemon thread that is abandoned after it.
   */
  private EngineInfo pingWithin(String endpoint) throws Exception {
    java.util.concurrent.FutureTask<EngineInfo> ping = new java.util.concurrent.FutureTask<>(
        () -> pinger.ping(endpoint, PING_TIMEOUT));
    Thread t = new Thread(ping, "keiko-mon-ping");
    t.setDaemon(true);
    t.start();
    try {
      return ping.get(PING_ABANDONED.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      t.interrupt();
      throw new java.util.concurrent.TimeoutException("the socket accepted the connection, but no version came back");
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Why keiko-mon cannot use this address at all, or null when it can try it. */
  private static String unsupported(String endpoint) {
    if (endpoint.startsWith("unix://") || endpoint.startsWith("tcp://") || endpoint.startsWith("npipe://")) {
      return null;
    }
    if (endpoint.startsWith("ssh://")) {
      return "ssh:// endpoints are not supported; forward the remote socket"
          + " (ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock HOST) and use unix:///tmp/docker.sock";
    }
    return "not an engine address (expected unix:///path/to/docker.sock or tcp://host:port)";
  }

  private List<Candidate> candidates() {
    String dockerHost = env.get("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return List.of(new Candidate(dockerHost.trim(), "DOCKER_HOST", null));
    }
    String context = currentContext();
    if (context != null && !context.equals("default")) {
      return List.of(contextCandidate(context));
    }
    List<Candidate> result = new ArrayList<>();
    result.add(new Candidate(DEFAULT_SOCKET, "default socket", null));
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isBlank()) {
      result.add(new Candidate("unix://" + runtimeDir + "/docker.sock", "rootless socket", null));
    }
    return result;
  }

  private Path dockerConfigDir() {
    String dir = env.get("DOCKER_CONFIG");
    return dir != null && !dir.isBlank() ? home.getFileSystem().getPath(dir) : home.resolve(".docker");
  }

  private String currentContext() {
    String fromEnv = env.get("DOCKER_CONTEXT");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Path config = dockerConfigDir().resolve("config.json");
    try {
      JsonNode current = new ObjectMapper().readTree(Files.readString(config)).path("currentContext");
      return current.isTextual() && !current.asText().isBlank() ? current.asText() : null;
    } catch (IOException e) {
      // No or unreadable config.json: the docker CLI then uses the default context too.
      return null;
    }
  }

  private Candidate contextCandidate(String name) {
    String source = "Docker context \"" + name + "\"";
    Path meta = dockerConfigDir().resolve("contexts").resolve("meta").resolve(sha256(name)).resolve("meta.json");
    try {
      JsonNode host = new ObjectMapper().readTree(Files.readString(meta)).path("Endpoints").path("docker").path("Host");
      if (host.isTextual() && !host.asText().isBlank()) {
        return new Candidate(host.asText(), source, null);
      }
      return new Candidate(meta.toString(), source, "no Endpoints.docker.Host in the context's meta.json");
    } catch (NoSuchFileException e) {
      return new Candidate(meta.toString(), source, "context not found (no meta.json)");
    } catch (IOException e) {
      return new Candidate(meta.toString(), source, "cannot read the context: " + e.getMessage());
    }
  }

  /** The docker CLI names a context's folder after the SHA-256 of the context's name. */
  static String sha256(String text) {
    return Digests.sha256Hex(text);
  }

  /** A short reason a user can act on, from whatever the transport threw. */
  private String describe(Throwable e) {
    if (e instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + PING_ABANDONED.toSeconds() + "s (" + e.getMessage() + ")";
    }
    String reason = pinger.reason(e instanceof DockerOperationException && e.getCause() != null
        ? e.getCause() : e);
    String detail = reason.replaceFirst(" \\(\\w+Exception\\)$", "");
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("no such file") || lower.contains("nosuchfile")) {
      return "no socket there (" + detail + ")";
    }
    if (lower.contains("connection refused")) {
      return "connection refused (" + detail + ")";
    }
    if (lower.contains("permission denied") || lower.contains("accessdenied")) {
      return "permission denied: this user may not use the socket (" + detail + ")";
    }
    if (lower.contains("timed out") || lower.contains("timeout")) {
      return "no answer within " + PING_TIMEOUT.toSeconds() + "s (" + detail + ")";
    }
    return reason;
  }

  private DockerUnavailableException unavailable(List<Attempt> attempts) {
    StringBuilder message = new StringBuilder("no Docker Engine answered; tried:");
    for (Attempt a : attempts) {
      message.append("\n  - ").append(a);
    }
    String hint;
    if (attempts.stream().anyMatch(a -> a.failure().startsWith("permission denied"))) {
      hint = "the engine runs but this user may not use its socket: add the user to the docker group"
          + " (`sudo usermod -aG docker $USER`, then log in again), or run keiko-mon with sudo";
    } else if (env.get("DOCKER_HOST") != null && !env.get("DOCKER_HOST").isBlank()) {
      hint = "DOCKER_HOST is set, so only it was tried: start the engine it names, fix DOCKER_HOST, or unset it"
          + " to use " + DEFAULT_SOCKET;
    } else if (attempts.size() == 1 && attempts.get(0).source().startsWith("Docker context")) {
      hint = "start the engine of that context, or switch with `docker context use default`";
    } else {
      hint = "start the Docker Engine (e.g. `sudo systemctl start docker`, or `dockerd &`), or set DOCKER_HOST"
          + " to the engine's address (unix:///path/docker.sock or tcp://host:2375)";
    }
    return new DockerUnavailableException(message.toString(), hint);
  }

  /** The innermost cause's message, with its type when it is not the exception itself. */
  public static String rootReason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : message + " (" + root.getClass().getSimpleName() + ")";
  }
}
