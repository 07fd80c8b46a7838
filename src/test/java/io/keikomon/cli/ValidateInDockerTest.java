package io.keikomon.cli;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** validate on a host without promtool/amtool on PATH runs them inside the images keiko.yml pins. */
@Tag("docker")
class ValidateInDockerTest {

  @BeforeAll
  static void images() {
    try (DockerGateway docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()))) {
      TestImages.ensure(docker, TestImages.Image.PROMETHEUS);
      TestImages.ensure(docker, TestImages.Image.ALERTMANAGER);
    }
  }

  @Test
  void promtoolAndAmtoolRunInsideThePinnedImages() throws Exception {
    // A keiko.yml whose critical alerts reach nobody is invalid: give it the Slack URL.
    Workspace ws = TestWorkspaces.jimfs(Map.of("PATH", "/nonexistent",
        "ALERTMANAGER_SLACK_URL", "https://hooks.slack.invalid/services/T0/B0/X"));
    TestImages.writeImagesOverride(ws.configFile());
    CliHarness.Result r = new CliHarness(new Services(ws, false)).run("validate");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("ran promtool in " + TestImages.Image.PROMETHEUS.tag() + " (Docker)"), r.toString());
    assertTrue(r.out().contains("ran amtool in " + TestImages.Image.ALERTMANAGER.tag() + " (Docker)"), r.toString());
  }
}
