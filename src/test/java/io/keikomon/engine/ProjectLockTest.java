package io.keikomon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.OperationFailedException;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProjectLockTest {
  final InMemoryDockerEngine engine = new InMemoryDockerEngine();
  final Path one = TestWorkspaces.jimfs().dir();
  final Path two = TestWorkspaces.jimfs().dir();
  final List<String> told = new ArrayList<>();

  @Test
  void aSecondFolderOnTheSameEngineIsToldWhoHoldsTheProject() {
    try (ProjectLock first = ProjectLock.acquire(one, engine, "kp", "up", Duration.ZERO, told::add)) {
      OperationFailedException e = assertThrows(OperationFailedException.class,
          () -> ProjectLock.acquire(two, engine, "kp", "down", Duration.ofMillis(600), told::add));

      String holder = "keiko-mon up (pid " + ProcessHandle.current().pid() + " on " + first.holder().host()
          + ", folder " + one.toAbsolutePath() + ", since " + first.holder().since() + ")";
      assertEquals("project kp is busy: " + holder + " is working on it", e.getMessage());
      assertTrue(e.hint().contains("docker volume rm kp_keiko-mon-lock"), e.hint());
      assertEquals(List.of("waiting for " + holder + " to finish with project kp"), told);
    }
    assertFalse(engine.volumes.containsKey("kp_keiko-mon-lock"), "closing removes the marker");
  }

  @Test
  void theFolderLockAloneLeavesTheEngineUntouchedUntilTheEngineLockIsTaken() {
    try (ProjectLock lock = ProjectLock.acquireFolder(one, "kp", "up", Duration.ZERO, told::add)) {
      assertFalse(engine.volumes.containsKey("kp_keiko-mon-lock"), "rendering needs no engine");

      lock.holdOnEngine(engine);

      assertEquals(lock.holder().token(), engine.volumes.get("kp_keiko-mon-lock").labels().get("keiko-mon.lock.token"));
      OperationFailedException e = assertThrows(OperationFailedException.class,
          () -> ProjectLock.acquire(two, engine, "kp", "down", Duration.ZERO, told::add));
      assertTrue(e.getMessage().startsWith("project kp is busy: keiko-mon up (pid "), e.getMessage());
    }
    assertFalse(engine.volumes.containsKey("kp_keiko-mon-lock"), "closing removes the marker");
  }

  @Test
  void anotherFolderHoldingTheEngineMarkerIsWaitedForWithinTheSameBudget() {
    try (ProjectLock first = ProjectLock.acquire(two, engine, "kp", "up", Duration.ZERO, told::add);
        ProjectLock second = ProjectLock.acquireFolder(one, "kp", "up", Duration.ofMillis(300), told::add)) {
      Instant start = Instant.now();
      assertThrows(OperationFailedException.class, () -> second.holdOnEngine(engine));
      assertTrue(Duration.between(start, Instant.now()).toMillis() < 5_000, "the folder lock's deadline applies");
      assertEquals(1, told.size(), told.toString());
    }
  }

  @Test
  void theSecondCallerWaitsAndGetsTheLockWhenTheFirstLetsGo() throws Exception {
    ProjectLock first = ProjectLock.acquire(one, engine, "kp", "up", Duration.ZERO, told::add);
    CompletableFuture<ProjectLock> second = CompletableFuture.supplyAsync(
        () -> ProjectLock.acquire(one, engine, "kp", "up", Duration.ofSeconds(10), told::add));
    Thread.sleep(500);
    assertFalse(second.isDone(), "waits while the first holds the folder's lock file");
    first.close();
    try (ProjectLock got = second.get()) {
      assertEquals(got.holder().token(), engine.volumes.get("kp_keiko-mon-lock").labels().get("keiko-mon.lock.token"));
    }
    assertTrue(Files.readString(one.resolve(ProjectLock.FILE_NAME)).startsWith("keiko-mon up (pid "));
  }

  @Test
  void aMarkerLeftByAProcessThatIsGoneIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    ProjectLock.Holder crashed = new ProjectLock.Holder("t-old", gone.pid(),
        java.net.InetAddress.getLocalHost().getHostName(), "/elsewhere", "up", Instant.now());
    engine.volume(new VolumeInfo("kp_keiko-mon-lock", "local", crashed.labels("kp")));

    try (ProjectLock lock = ProjectLock.acquire(two, engine, "kp", "up", Duration.ZERO, told::add)) {
      assertEquals(lock.holder().token(), engine.volumes.get("kp_keiko-mon-lock").labels().get("keiko-mon.lock.token"));
      assertTrue(told.isEmpty(), told.toString());
    }
  }

  @Test
  void aMarkerFromAnotherHostIsRespectedUntilItIsStale() {
    ProjectLock.Holder remote = new ProjectLock.Holder("t-remote", 1, "other-host", "/srv/keiko", "up",
        Instant.now().minus(Duration.ofMinutes(5)));
    engine.volume(new VolumeInfo("kp_keiko-mon-lock", "local", remote.labels("kp")));
    OperationFailedException e = assertThrows(OperationFailedException.class,
        () -> ProjectLock.acquire(one, engine, "kp", "up", Duration.ZERO, told::add));
    assertTrue(e.getMessage().contains("keiko-mon up (pid 1 on other-host, folder /srv/keiko, since "), e.getMessage());

    ProjectLock.Holder old = new ProjectLock.Holder("t-remote", 1, "other-host", "/srv/keiko", "up",
        Instant.now().minus(ProjectLock.STALE_AFTER).minusSeconds(60));
    engine.volumes.clear();
    engine.volume(new VolumeInfo("kp_keiko-mon-lock", "local", old.labels("kp")));
    ProjectLock.acquire(one, engine, "kp", "up", Duration.ZERO, told::add).close();
    assertTrue(engine.volumes.isEmpty());
    assertEquals(Map.of(), engine.volumes);
  }
}
