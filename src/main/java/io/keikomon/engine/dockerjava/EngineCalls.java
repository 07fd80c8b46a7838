package io.keikomon.engine.dockerjava;

import io.keikomon.engine.EngineConnector;
import io.keikomon.engine.DockerOperationException;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;

/**
 * One engine call through docker-java, its failure as a {@link DockerOperationException} that names the call and the
 * endpoint: not found and conflict kept apart (so a lookup can be empty and a removal of what is gone done), the
 * engine's own message where it sent one.
 */
final class EngineCalls {
  private static final String ENGINE_HINT = "check that the Docker Engine is running (`docker info`)";

  private final String endpoint;

  EngineCalls(String endpoint) {
    this.endpoint = endpoint;
  }

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
    } catch (EngineStatusException e) {
      throw failure(switch (e.status()) {
        case 404 -> DockerOperationException.Kind.NOT_FOUND;
        case 409 -> DockerOperationException.Kind.CONFLICT;
        default -> DockerOperationException.Kind.OTHER;
      }, what, e);
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
    // the engine answered (through docker-java or raw): it runs, so no hint to start it
    boolean answered = e instanceof DockerException || e instanceof EngineStatusException;
    String hint = kind == DockerOperationException.Kind.OTHER && !answered ? ENGINE_HINT : null;
    return new DockerOperationException(kind, "could not " + what + " (" + endpoint + "): " + reason, hint, e);
  }

  /** The engine's own message when there is one (docker-java wraps it in JSON), else the innermost cause. */
  static String reason(Throwable e) {
    if (e instanceof EngineStatusException es) {
      return es.getMessage();
    }
    if (e instanceof DockerException de) {
      return engineMessage(de.getMessage() == null ? "" : de.getMessage().replaceFirst("^Status \\d+: ", ""));
    }
    return EngineConnector.rootReason(e);
  }

  /** The {@code message} of an engine's error body when it is JSON, else the body as sent. */
  static String engineMessage(String text) {
    String body = text.trim();
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

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; the stream or connection is gone either way
    }
  }
}
