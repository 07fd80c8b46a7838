package io.keikomon.engine;

/** Receives container events. */
public interface EventListener {
  void event(ContainerEvent event);

  /** The stream broke (engine went away, connection reset); no more events will come. */
  default void failed(Throwable cause) {}
}
