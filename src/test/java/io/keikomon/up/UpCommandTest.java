package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** `keiko-mon up` on the command line: options and the exit codes of problems found before the engine. */
class UpCommandTest {
  final AtomicInteger connections = new AtomicInteger();

  CliHarness cli(String keikoYml) {
    Services s = new Services(TestWorkspaces.withConfig(keikoYml), false);
    return new CliHarness(new Services(s.workspace(), false, () -> {
      connections.incrementAndGet();
      throw new AssertionError("the engine must not be contacted");
    }, s.oracles()));
  }

  @Test
  void timeoutMustBeADuration() {
    CliHarness.Result r = cli("version: 1\n").run("up", "--timeout", "5x");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("'5x' is not a duration (e.g. 90s, 5m, 1m30s)"), r.toString());
  }

  @Test
  void invalidKeikoYmlStopsUpWithExit3BeforeTheEngine() {
    CliHarness.Result r = cli("version: 1\nports: {grafana: 70000}\n").run("up");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("keiko.yml:2:"), r.toString());
    assertEquals(0, connections.get());
  }
}
