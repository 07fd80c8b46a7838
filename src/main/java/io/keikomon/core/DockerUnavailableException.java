package io.keikomon.core;

/** No Docker Engine answered (exit 4). */
public class DockerUnavailableException extends KeikoException {
  public DockerUnavailableException(String message, String hint) {
    super(message, hint);
  }
}
