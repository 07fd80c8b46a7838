package io.keikomon.core;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A value made on first use and then kept. Commands that never need it never pay for it (e.g. loading
 * docker-java and connecting to the engine); a command that will need it can {@link #startMaking start making it}
 * while it does other work. A failure to make it is kept too: every later {@link #get} throws it again rather than
 * trying once more (a second attempt at an engine that timed out would double the wait).
 */
public final class Lazy<T> implements Supplier<T> {
  private final FutureTask<T> task;

  private Lazy(Supplier<? extends T> maker) {
    this.task = new FutureTask<>(maker::get);
  }

  public static <T> Lazy<T> of(Supplier<? extends T> maker) {
    return new Lazy<>(maker);
  }

  /** Starts making the value on a daemon thread, unless that has begun; {@link #get} then waits for it. */
  public void startMaking(String threadName) {
    if (!task.isDone()) {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      t.start(); // a FutureTask runs once: when get() won the race, this thread returns at once
    }
  }

  /** The value when it was made already; never makes it. */
  public Optional<T> ifMade() {
    if (!task.isDone()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(task.get());
    } catch (ExecutionException | InterruptedException | java.util.concurrent.CancellationException e) {
      return Optional.empty();
    }
  }

  @Override
  public T get() {
    task.run(); // makes it here, or returns at once when another thread is making it or made it
    return Async.await(task, "waiting for work started in the background");
  }
}
