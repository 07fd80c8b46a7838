package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.oracle.ToolRun;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A folder without a keiko.yml (or with an empty one) runs the embedded default, project "keiko", which every
 * such folder shares: each command says so, and down does not remove that project unless the command line
 * confirms it.
 */
class DefaultStackTest {
  private static final String NOTICE_START = "note: no keiko.yml in /work/project: using the embedded default (project"
      + " keiko, output monitoring/, ports on 127.0.0.1: grafana 3001, prometheus 9090, alertmanager 9093, jaeger"
      + " 16686, otlp 4317/4318); `keiko-mon init` writes a keiko.yml to change them\n";

  private final InMemoryDockerEngine docker = new InMemoryDockerEngine();

  private CliHarness cli(Workspace ws) {
    return new CliHarness(new Services(ws, false).withDocker(docker)
        .withOracles((t, d, a) -> new ToolRun.Unavailable("not here", "")));
  }

  private void someonesKeikoStack() {
    docker.container(new ContainerDetails("id-1", "keiko-prometheus-1", "img/prometheus:1", "sha256:x",
            Map.of(ComposeLabels.PROJECT, "keiko", ComposeLabels.SERVICE, "prometheus", ComposeLabels.ONEOFF, "False"),
            new ContainerState("running", true, 0, false, TestWorkspaces.T0, null, null, ""), List.of(),
            List.of("keiko_default"), TestWorkspaces.T0))
        .network(new NetworkInfo("n1", "keiko_default", "bridge", Map.of(ComposeLabels.PROJECT, "keiko")));
  }

  @Test
  void everyStackCommandSaysItUsesTheEmbeddedDefaultAndWhatThatMeans() {
    Workspace ws = TestWorkspaces.jimfs(Map.of("GRAFANA_ADMIN_PASSWORD", "default-stack-test"));
    for (String command : List.of("render", "validate", "status", "logs", "down")) {
      CliHarness.Result r = cli(ws).run(command);
      assertTrue(r.err().startsWith(NOTICE_START), command + ": " + r);
    }
    assertFalse(cli(ws).run("down", "--help").err().contains("embedded default"), "help needs no notice");
    assertFalse(cli(ws).run("init").err().contains("note: no keiko.yml"), "init is what writes one");
  }

  @Test
  void anEmptyKeikoYmlIsTheDefaultToo() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("# nothing set yet\n\n");
    CliHarness.Result r = cli(ws).run("status");
    assertTrue(r.err().startsWith("note: keiko.yml is empty: using the embedded default (project keiko,"), r.toString());
  }

  @Test
  void aKeikoYmlWithSettingsGetsNoNotice() {
    CliHarness.Result r = cli(TestWorkspaces.withConfig("project: shop\n")).run("status");
    assertFalse(r.err().contains("embedded default"), r.toString());
  }

  @Test
  void downRefusesTheDefaultProjectWithoutConfirmation() {
    someonesKeikoStack();
    CliHarness.Result r = cli(TestWorkspaces.jimfs()).run("down");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: no keiko.yml here names a project, so down would remove project keiko (the"
        + " embedded default), which may be another folder's stack; nothing was removed\n"
        + "hint: run down from the stack's own folder, or confirm with `keiko-mon down --project keiko` (or --yes)"),
        r.toString());
    assertEquals(1, docker.containers.size(), "nothing was removed");
    assertFalse(docker.calls.stream().anyMatch(c -> c.startsWith("stop") || c.startsWith("remove")), docker.calls.toString());
  }

  @Test
  void downRemovesTheDefaultProjectWhenConfirmed() {
    for (List<String> args : List.of(List.of("down", "--project", "keiko"), List.of("down", "--yes"))) {
      someonesKeikoStack();
      CliHarness.Result r = cli(TestWorkspaces.jimfs()).run(args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), args + ": " + r);
      assertTrue(r.out().contains("removed container keiko-prometheus-1"), r.toString());
      assertTrue(docker.containers.isEmpty());
    }
  }

  @Test
  void downRefusesAProjectNameThatIsNotTheOneHere() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("project: shop\n");
    CliHarness.Result r = cli(ws).run("down", "--project", "keiko");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: --project keiko does not match the project here, shop; nothing was removed"),
        r.toString());
    assertTrue(Files.exists(ws.configFile()));
  }
}
