package io.keikomon.engine;

import java.time.Duration;

/** A running stream (logs, events) from the engine. Closing it stops the stream. */
public interface Subscription extends AutoCloseable {

  /** Blocks until the stream ends by itself (or is closed). */
  void awaitCompletion() throws InterruptedException;

  /** Like {@link #awaitCompletion()} but gives up after {@code timeout}; true when the stream ended. */
  boolean awaitCompletion(Duration timeout) throws InterruptedException;

  /** Stops the stream; never throws. */
  @Override
  void close();
}
