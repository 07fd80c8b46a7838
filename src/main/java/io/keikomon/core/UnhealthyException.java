package io.keikomon.core;

/** A service did not become healthy, or a wait timed out (exit 5). */
public class UnhealthyException extends KeikoException {
  public UnhealthyException(String message, String hint) {
    super(message, hint);
  }
}
