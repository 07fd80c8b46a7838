package io.keikomon.engine;

/** Receives a container's log, one complete line at a time (without its line break). */
@FunctionalInterface
public interface LogListener {
  void line(boolean stderr, String text);
}
