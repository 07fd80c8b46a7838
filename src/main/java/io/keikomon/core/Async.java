package io.keikomon.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waits for background work and rethrows its failure as it was thrown, not wrapped. */
public final class Async {
  private Async() {}

  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
