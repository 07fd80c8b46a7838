package io.keikomon.engine;

import io.keikomon.core.OperationFailedException;

/** The engine refused or failed a request (exit 1). {@link #kind()} lets callers react to the common cases. */
public class DockerOperationException extends OperationFailedException {
  /** What went wrong, as far as callers need to tell apart. */
  public enum Kind { NOT_FOUND, CONFLICT, OTHER }

  private final Kind kind;

  public DockerOperationException(Kind kind, String message, String hint, Throwable cause) {
    super(message, hint, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
