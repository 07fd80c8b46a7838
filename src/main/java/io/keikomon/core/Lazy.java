package io.keikomon.core;

import java.util.function.Supplier;

/**
 * A value made on first use and then kept. Commands that never need it never pay for it (e.g. loading
 * docker-java and connecting to the engine).
 */
public final class Lazy<T> implements Supplier<T> {
  private Supplier<? extends T> maker;
  private T value;

  private Lazy(Supplier<? extends T> maker) {
    this.maker = maker;
  }

  public static <T> Lazy<T> of(Supplier<? extends T> maker) {
    return new Lazy<>(maker);
  }

  /** The value when it was made already; never makes it. */
  public synchronized java.util.Optional<T> ifMade() {
    return maker == null ? java.util.Optional.ofNullable(value) : java.util.Optional.empty();
  }

  @Override
  public synchronized T get() {
    if (maker != null) {
      value = maker.get();
      maker = null;
    }
    return value;
  }
}
