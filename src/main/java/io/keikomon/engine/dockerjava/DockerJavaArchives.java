package io.keikomon.engine.dockerjava;

import io.keikomon.engine.DockerOperationException;

import com.github.dockerjava.api.DockerClient;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Archive copies into and out of containers: over {@link EngineHttp} where the endpoint allows it (no TLS), as they
 * are the bulk transfers, else through docker-java.
 */
final class DockerJavaArchives {
  private final String endpoint;
  private final DockerClient streams;
  /** Empty for TLS endpoints, which keep docker-java's transport. */
  private final Optional<EngineHttp> archives;
  private final EngineCalls calls;

  DockerJavaArchives(String endpoint, DockerClient streams, Optional<EngineHttp> archives, EngineCalls calls) {
    this.endpoint = endpoint;
    this.streams = streams;
    this.archives = archives;
    this.calls = calls;
  }

  void copyIn(String id, String remoteDir, InputStream tar) {
    String what = "copy files into container " + id;
    calls.call(what, () -> {
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

  InputStream copyOut(String id, String remotePath) {
    String what = "copy " + remotePath + " out of container " + id;
    return calls.call(what, () -> {
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
}
