package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.UnixSocketEngineFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An engine that accepts on its Unix socket and never answers: every Docker command ends with exit 4, quickly. */
class UnresponsiveEngineTest {
  /** The raw ping gives up after 3 s; the rest is start-up and rendering (up) on a loaded machine. */
  private static final Duration DEADLINE = Duration.ofSeconds(16);

  @TempDir Path dir;
  UnixSocketEngineFault engine;

  @BeforeEach
  void hungEngine() throws Exception {
    engine = UnixSocketEngineFault.hung(Files.createDirectories(dir.resolve("sock")));
    Files.writeString(dir.resolve("keiko.yml"), "project: kmhung\n");
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "up", "down", "logs"})
  void exitsFourWithinTheDeadlineNamingTheEndpoint(String command) {
    Map<String, String> env = Map.of("DOCKER_HOST", engine.endpoint(), "NO_COLOR", "1", "HOME", dir.toString());
    CliHarness cli = new CliHarness(new Services(new Workspace(dir, env, Clock.systemUTC()), false));

    long t0 = System.nanoTime();
    CliHarness.Result r = cli.run(command);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(took.compareTo(DEADLINE) < 0, command + " took " + took.toMillis() + " ms");
    assertTrue(r.err().contains(engine.endpoint() + " (DOCKER_HOST): no answer within 3s (GET /version timed out)"), r.toString());
  }
}
