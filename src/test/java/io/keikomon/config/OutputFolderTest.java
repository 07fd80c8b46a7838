package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** `output` must be a folder of its own: validate and up read all of it, render writes there. */
class OutputFolderTest {
  private static final Path PROJECT = Path.of("/home/ada/keiko");

  private static Optional<String> problem(String output) {
    return OutputFolder.problem(output, PROJECT, "/home/ada");
  }

  @Test
  void foldersBelowTheProjectAndAbsoluteFoldersOfTheirOwnAreFine() {
    for (String ok : new String[] {"monitoring", "out/monitoring", "./monitoring", "a/../monitoring",
        "/srv/keiko/monitoring", "/var/lib/keiko-mon", "/opt/keiko/monitoring", "/home/ada/other-monitoring"}) {
      assertEquals(Optional.empty(), problem(ok), ok);
    }
  }

  @Test
  void theRootSystemFoldersHomeAndTheProjectItselfAreRefused() {
    assertEquals(Optional.of("is the root folder"), problem("/"));
    for (String bad : new String[] {"/etc", "/usr", "/var", "/bin", "/boot", "/usr/local", "/tmp", "/etc/"}) {
      assertTrue(problem(bad).orElse("").startsWith("is the system folder"), bad + ": " + problem(bad));
    }
    assertTrue(problem("/proc/self").orElse("").contains("below /proc"));
    assertTrue(problem("/dev/shm/x").orElse("").contains("below /dev"));
    assertEquals(Optional.of("is the home folder itself"), problem("/home/ada"));
    assertTrue(problem(".").orElse("").contains("project folder itself"));
    assertTrue(problem("/home/ada/keiko").orElse("").contains("project folder itself"));
    assertTrue(problem("../..").orElse("").contains("leads out of the project folder"));
    assertTrue(problem("../elsewhere").orElse("").contains("leads out of the project folder"));
  }

  @Test
  void aBadOutputIsAConfigErrorAtItsPositionWithAHint() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("project: keiko\noutput: /\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ws));
    Problem p = e.problems().stream().filter(Problem::isError).findFirst().orElseThrow();
    assertEquals("keiko.yml:2:9: output: \"/\" is the root folder (hint: " + OutputFolder.hint() + ")", p.render());
  }

  @Test
  void theHomeFolderComesFromTheEnvironment() throws Exception {
    Workspace base = TestWorkspaces.withConfig("output: /home/bob\n");
    Workspace ws = new Workspace(base.dir(), Map.of("HOME", "/home/bob"), Clock.systemUTC());
    assertTrue(Files.exists(ws.configFile()));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ws));
    assertTrue(e.getMessage().contains("is the home folder itself"), e.getMessage());
  }
}
