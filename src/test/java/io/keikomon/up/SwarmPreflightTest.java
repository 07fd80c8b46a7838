package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.engine.SwarmGateway.SwarmInfo;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** `up` in swarm mode on an engine that cannot deploy a stack: said with the fix, exit 4, nothing rendered or changed. */
class SwarmPreflightTest {
  static final String SWARM = "mode: swarm\nalerting: {none: true}\nha: {grafana: {replicas: 1}}\n";

  final InMemoryDockerEngine engine = new InMemoryDockerEngine();

  CliHarness.Result up() {
    Services s = new Services(TestWorkspaces.withConfig(SWARM), false);
    CliHarness.Result r = new CliHarness(s.withDocker(engine)).run("up");
    assertFalse(Files.exists(s.workspace().dir().resolve("monitoring")), "nothing rendered before the pre-flight");
    return r;
  }

  @Test
  void notInASwarmSaysHowToMakeOneAndExits4() {
    CliHarness.Result r = up();

    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.err().contains("is not in a swarm (state inactive), and keiko.yml says mode: swarm"), r.toString());
    assertTrue(r.err().contains("`docker swarm init`"), r.toString());
    assertTrue(engine.calls.stream().filter(c -> c.startsWith("swarm ")).allMatch(c -> c.equals("swarm swarmInfo")),
        engine.calls.toString());
  }

  @Test
  void aWorkerIsToldToUseAManager() {
    engine.swarmInfo = new SwarmInfo("active", false, "n1", "10.0.0.2");

    CliHarness.Result r = up();

    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.err().contains("is a swarm worker; only a manager can deploy a stack"), r.toString());
    assertTrue(r.err().contains("docker node ls"), r.toString());
  }
}
