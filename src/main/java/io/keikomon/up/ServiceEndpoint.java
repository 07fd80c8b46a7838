package io.keikomon.up;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.PublishedPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * HTTP to a service of the stack: straight to its published port when the engine runs on this machine, otherwise
 * through {@code wget} inside its container (the Prometheus-family images are busybox-based and have it).
 */
public interface ServiceEndpoint {
  Duration TIMEOUT = Duration.ofSeconds(10);

  /** status 0 means "no HTTP status known" (exec route: wget only says it failed). */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  Response get(String path);

  Response post(String path);

  /** Chooses the direct route when {@code c} publishes {@code port} and the engine is local. */
  static ServiceEndpoint of(DockerGateway docker, boolean engineLocal, ContainerDetails c, int port) {
    if (engineLocal) {
      for (PublishedPort p : c.ports()) {
        if (p.containerPort() == port && "tcp".equals(p.protocol())) {
          String host = p.hostIp() == null || p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0")
              ? "127.0.0.1" : p.hostIp().equals("::") ? "[::1]" : p.hostIp();
          return new Direct("http://" + host + ":" + p.hostPort());
        }
      }
    }
    return new ViaExec(docker, c.id(), "http://127.0.0.1:" + port);
  }

  final class Direct implements ServiceEndpoint {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String base;

    Direct(String base) {
      this.base = base;
    }

    @Override
    public Response get(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build());
    }

    @Override
    public Response post(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
          .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private Response send(HttpRequest req) {
      try {
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
      } catch (IOException e) {
        return new Response(0, req.uri() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Response(0, "interrupted");
      }
    }
  }

  final class ViaExec implements ServiceEndpoint {
    private final DockerGateway docker;
    private final String id;
    private final String base;

    ViaExec(DockerGateway docker, String id, String base) {
      this.docker = docker;
      this.id = id;
      this.base = base;
    }

    @Override
    public Response get(String path) {
      return run(List.of("wget", "-qO-", base + path));
    }

    @Override
    public Response post(String path) {
      return run(List.of("wget", "-qO-", "--post-data=", base + path));
    }

    private Response run(List<String> cmd) {
      ExecResult r = docker.exec(id, cmd, TIMEOUT);
      return r.exitCode() == 0 ? new Response(200, r.stdout()) : new Response(0, r.output().strip());
    }
  }
}
