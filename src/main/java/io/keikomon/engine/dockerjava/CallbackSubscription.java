package io.keikomon.engine.dockerjava;

import io.keikomon.engine.Subscription;

import com.github.dockerjava.api.async.ResultCallback;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Wraps a docker-java callback as a {@link Subscription}. */
final class CallbackSubscription implements Subscription {
  private final ResultCallback.Adapter<?> callback;

  CallbackSubscription(ResultCallback.Adapter<?> callback) {
    this.callback = callback;
  }

  @Override
  public void awaitCompletion() throws InterruptedException {
    callback.awaitCompletion();
  }

  @Override
  public boolean awaitCompletion(Duration timeout) throws InterruptedException {
    return callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    EngineCalls.closeQuietly(callback);
  }
}
