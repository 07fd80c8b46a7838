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
