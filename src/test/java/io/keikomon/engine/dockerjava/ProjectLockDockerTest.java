package io.keikomon.engine.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ProjectLock;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's marker on the real engine: two folders racing for one project, one wins every time. */
@Tag("docker")
class ProjectLockDockerTest {
  static DockerGateway docker;
  final String project = "kmlock" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path tmp;

  @BeforeAll
  static void connect() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
  }

  @AfterAll
  static void close() {
    docker.close();
  }

  @Test
  void twoFoldersRacingForOneProjectOnOneEngineGetItOneAtATime() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    try {
      for (int round = 0; round < 10; round++) {
        CompletableFuture<Object> one = CompletableFuture.supplyAsync(() -> attempt(a));
        CompletableFuture<Object> two = CompletableFuture.supplyAsync(() -> attempt(b));
        List<Object> outcomes = new ArrayList<>(List.of(one.get(), two.get()));
        long won = outcomes.stream().filter(o -> o instanceof ProjectLock).count();
        assertEquals(1, won, "round " + round + ": " + outcomes);
        OperationFailedException lost = (OperationFailedException) outcomes.stream()
            .filter(o -> o instanceof OperationFailedException).findFirst().orElseThrow();
        assertTrue(lost.getMessage().startsWith("project " + project + " is busy: keiko-mon up (pid "), lost.getMessage());
        outcomes.stream().filter(o -> o instanceof ProjectLock).forEach(o -> ((ProjectLock) o).close());
        assertTrue(docker.inspectVolume(ProjectLock.volumeName(project)).isEmpty(), "released");
      }
    } finally {
      docker.removeVolume(ProjectLock.volumeName(project));
    }
  }

  private Object attempt(Path folder) {
    try {
      return ProjectLock.acquire(folder, docker, project, "up", Duration.ZERO, line -> {});
    } catch (OperationFailedException e) {
      return e;
    }
  }
}
