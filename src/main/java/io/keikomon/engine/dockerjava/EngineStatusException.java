package io.keikomon.engine.dockerjava;

/**
 * The engine answered a raw request ({@link EngineReads}) with an error status; the message is the engine's own
 * (its JSON {@code message}), as {@link EngineCalls#reason} takes it out of docker-java's exceptions.
 */
final class EngineStatusException extends Exception {
  private final int status;

  EngineStatusException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
