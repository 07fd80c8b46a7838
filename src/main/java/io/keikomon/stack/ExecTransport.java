package io.keikomon.stack;

import io.keikomon.api.ApiException;
import io.keikomon.api.ApiException.Failure;
import io.keikomon.api.ApiRequest;
import io.keikomon.api.ApiResponse;
import io.keikomon.api.ApiTransport;
import io.keikomon.api.BasicAuth;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.ExecResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests run inside a container with busybox {@code wget -S}, for a service whose port this machine cannot reach
 * (a remote engine, or a port that is not published). {@code -S} prints the status line to stderr, so the status is
 * the one the service sent; busybox prints no body for an error status, so 4xx/5xx answers have an empty body.
 */
public final class ExecTransport implements ApiTransport {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})");

  private final DockerGateway docker;
  private final String containerId;
  private final URI base;
  private final Optional<BasicAuth> auth;
  private final Duration timeout;
  private final boolean https;

  public ExecTransport(DockerGateway docker, String containerId, int port, Optional<BasicAuth> auth,
      Duration timeout) {
    this(docker, containerId, port, auth, timeout, false);
  }

  /** {@code https}: the service speaks TLS; busybox wget cannot verify certificates, so none is checked. */
  public ExecTransport(DockerGateway docker, String containerId, int port, Optional<BasicAuth> auth,
      Duration timeout, boolean https) {
    this(docker, containerId, "127.0.0.1", port, auth, timeout, https);
  }

  /** To {@code host} instead of loopback (node-exporter listens on the host gateway address only). */
  public ExecTransport(DockerGateway docker, String containerId, String host, int port, Optional<BasicAuth> auth,
      Duration timeout, boolean https) {
    this.docker = docker;
    this.containerId = containerId;
    this.https = https;
    this.base = URI.create((https ? "https" : "http") + "://" + host + ":" + port);
    this.auth = auth;
    this.timeout = timeout;
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public ApiResponse send(ApiRequest request) {
    URI uri = base.resolve(request.path());
    List<String> cmd = new ArrayList<>(List.of("wget", "-S", "-O-"));
    if (https) {
      cmd.add("--no-check-certificate");
    }
    if (request.method().equals("POST")) {
      cmd.add("--post-data=" + (request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8)));
      if (request.contentType() != null) {
        cmd.add("--header=Content-Type: " + request.contentType());
      }
    } else if (!request.method().equals("GET")) {
      throw new IllegalArgumentException("busybox wget sends GET and POST only, not " + request.method());
    }
    auth.ifPresent(a -> cmd.add("--header=Authorization: Basic " + Base64.getEncoder()
        .encodeToString((a.user() + ":" + a.password().get()).getBytes(StandardCharsets.UTF_8))));
    cmd.add(uri.toString());
    ExecResult r;
    try {
      r = docker.exec(containerId, cmd, timeout);
    } catch (DockerOperationException e) {
      throw ApiException.connection(request, uri, Failure.CLOSED, "inside container " + containerId + ": "
          + e.getMessage(), e);
    }
    if (r.timedOut()) {
      throw ApiException.connection(request, uri, Failure.TIMEOUT, "no complete answer within "
          + timeout.toSeconds() + " s", null);
    }
    Optional<Integer> status = lastStatus(r.stderr());
    if (status.isPresent()) {
      return new ApiResponse(uri, status.get(), r.exitCode() == 0 ? r.stdout() : "");
    }
    String err = r.stderr().strip();
    Failure kind = err.contains("refused") ? Failure.REFUSED
        : err.contains("bad address") ? Failure.DNS
        : err.contains("timed out") ? Failure.TIMEOUT
        : Failure.CLOSED;
    throw ApiException.connection(request, uri, kind, "wget inside the container: "
        + (err.isEmpty() ? "exit code " + r.exitCode() + " and no status line" : err), null);
  }

  /** The status of the last status line (redirects print one each). */
  static Optional<Integer> lastStatus(String stderr) {
    Matcher m = STATUS_LINE.matcher(stderr);
    Integer last = null;
    while (m.find()) {
      last = Integer.valueOf(m.group(1));
    }
    return Optional.ofNullable(last);
  }
}
