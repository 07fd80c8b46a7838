package io.keikomon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.DockerUnavailableException;
import io.keikomon.testing.InMemoryDockerEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DeadlineGatewayTest {
  /** A fake engine whose container list never comes back (a wedged dockerd); everything else answers. */
  static DockerGateway wedged() {
    InMemoryDockerEngine fake = new InMemoryDockerEngine();
    return (DockerGateway) java.lang.reflect.Proxy.newProxyInstance(DockerGateway.class.getClassLoader(),
        new Class<?>[] {DockerGateway.class}, (proxy, method, args) -> {
          if (method.getName().equals("listContainers")) {
            new CountDownLatch(1).await();
          }
          return method.invoke(fake, args);
        });
  }

  @Test
  void aCallPastTheCommandDeadlineEndsWithExitFourNamingEndpointAndCall() {
    DockerGateway g = DeadlineGateway.of(wedged(), "unix:///run/wedged.sock")
        .until(Instant.now().plusMillis(2500));
    long t0 = System.nanoTime();
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, () -> g.listContainers(Map.of()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 2000 && ms < 3500, ms + " ms");
    assertEquals("the Docker Engine at unix:///run/wedged.sock stopped answering: no answer within 2.5s while trying"
        + " to list containers", e.getMessage().replaceAll("within 2\\.\\d+s", "within 2.5s"));
    assertTrue(e.hint().contains("docker info"), e.hint());
  }

  @Test
  void afterOneTimeoutEveryCallFailsAtOnceWithTheSameReport() {
    DockerGateway g = DeadlineGateway.of(wedged(), "unix:///run/wedged.sock").until(Instant.now());
    DockerUnavailableException first = assertThrows(DockerUnavailableException.class, () -> g.listContainers(Map.of()));
    long t0 = System.nanoTime();
    DockerUnavailableException next = assertThrows(DockerUnavailableException.class, () -> g.inspectNetwork("n"));
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 100);
    assertSame(first, next);
  }

  /** A fake engine whose copies run at the given pace: copyIn reads one byte per {@code pause}; copyOut sends 3. */
  static DockerGateway slowCopies(Duration pause, boolean stallAfterFirstByte) {
    InMemoryDockerEngine fake = new InMemoryDockerEngine();
    return (DockerGateway) java.lang.reflect.Proxy.newProxyInstance(DockerGateway.class.getClassLoader(),
        new Class<?>[] {DockerGateway.class}, (proxy, method, args) -> {
          if (method.getName().equals("copyIn")) {
            java.io.InputStream in = (java.io.InputStream) args[2];
            int read = 0;
            while (in.read() >= 0) {
              if (stallAfterFirstByte && ++read == 1) {
                new CountDownLatch(1).await();
              }
              Thread.sleep(pause.toMillis());
            }
            return null;
          }
          if (method.getName().equals("copyOut")) {
            return new java.io.InputStream() {
              int sent;

              @Override
              public int read() throws java.io.IOException {
                if (sent == 3 && stallAfterFirstByte) {
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                  }
                }
                return sent++ < 3 ? 'x' : -1;
              }

              @Override
              public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (sent < 3) { // what has arrived so far, as a socket read returns it
                  int n = Math.min(len, 3 - sent);
                  java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                  sent += n;
                  return n;
                }
                int c = read();
                if (c < 0) {
                  return -1;
                }
                b[off] = (byte) c;
                return 1;
              }
            };
          }
          return method.invoke(fake, args);
        });
  }

  @Test
  void aCopyThatKeepsMovingMayTakeLongerThanItsBudget() {
    // the command's deadline is already past, so every budget is the 2 s floor; the copy takes about 4 s
    DockerGateway g = DeadlineGateway.of(slowCopies(Duration.ofMillis(400), false), "unix:///run/slow.sock")
        .until(Instant.now());
    long t0 = System.nanoTime();
    g.copyIn("c1", "/prometheus", new java.io.ByteArrayInputStream(new byte[10]));
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 3500, "the copy ran to its end");
  }

  @Test
  void aCopyInThatStallsEndsWithExitFourAfterTheBudget() {
    DockerGateway g = DeadlineGateway.of(slowCopies(Duration.ZERO, true), "unix:///run/slow.sock")
        .until(Instant.now());
    long t0 = System.nanoTime();
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
        () -> g.copyIn("c1", "/prometheus", new java.io.ByteArrayInputStream(new byte[10])));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 1900 && ms < 4000, ms + " ms");
    assertTrue(e.getMessage().contains("no progress within 2s while trying to copy files into container c1"),
        e.getMessage());
  }

  @Test
  void aCopyOutThatStallsInTheMiddleEndsTheReadInsteadOfHangingIt() throws Exception {
    DockerGateway g = DeadlineGateway.of(slowCopies(Duration.ZERO, true), "unix:///run/slow.sock")
        .until(Instant.now());
    java.io.InputStream in = g.copyOut("c1", "/prometheus/snapshots/x");
    assertEquals('x', in.read());
    long t0 = System.nanoTime();
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, in::readAllBytes);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 1900 && ms < 4000, ms + " ms");
    assertTrue(e.getMessage().contains("copy /prometheus/snapshots/x out of container c1"), e.getMessage());
  }

  @Test
  void engineFailuresPassThroughUnchanged() {
    InMemoryDockerEngine fake = new InMemoryDockerEngine();
    DockerGateway g = DeadlineGateway.of(fake, "unix:///run/docker.sock");
    assertTrue(g.inspectContainer("nothing-here").isEmpty());
    assertThrows(DockerOperationException.class, () -> g.startContainer("nothing-here"));
  }

  @Test
  void withoutACommandDeadlineACallHasItsOwnBudget() {
    assertEquals(Duration.ofSeconds(10), DeadlineGateway.REQUEST);
    DeadlineGateway g = DeadlineGateway.of(new InMemoryDockerEngine(), "e");
    assertSame(g, DeadlineGateway.of(g, "e"), "never wrapped twice");
  }
}
