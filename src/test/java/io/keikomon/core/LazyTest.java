package io.keikomon.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {
  @Test
  void madeOnceOnFirstUse() {
    AtomicInteger made = new AtomicInteger();
    Lazy<String> lazy = Lazy.of(() -> "v" + made.incrementAndGet());

    assertEquals(Optional.empty(), lazy.ifMade());
    assertEquals("v1", lazy.get());
    assertEquals("v1", lazy.get());
    assertEquals(Optional.of("v1"), lazy.ifMade());
    assertEquals(1, made.get());
  }

  @Test
  void startedInTheBackgroundGetWaitsForThatOneMaking() throws Exception {
    AtomicInteger made = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Lazy<String> lazy = Lazy.of(() -> {
      made.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return Thread.currentThread().getName();
    });
    lazy.startMaking("maker");
    while (made.get() == 0) {
      Thread.sleep(5);
    }
    assertEquals(Optional.empty(), lazy.ifMade(), "still being made");
    release.countDown();

    assertEquals("maker", lazy.get(), "made on the background thread, not again here");
    assertEquals(1, made.get());
  }

  @Test
  void aFailureIsKeptAndThrownAgainWithoutASecondAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    RuntimeException refused = new DockerUnavailableException("no engine", "start dockerd");
    Lazy<String> lazy = Lazy.of(() -> {
      attempts.incrementAndGet();
      throw refused;
    });

    assertSame(refused, assertThrows(RuntimeException.class, lazy::get));
    assertSame(refused, assertThrows(RuntimeException.class, lazy::get));
    assertEquals(1, attempts.get());
    assertTrue(lazy.ifMade().isEmpty());
  }
}
