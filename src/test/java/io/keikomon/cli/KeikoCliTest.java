package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run builds only the subcommand it names; whatever needs the whole tree still gets it. */
class KeikoCliTest {
  @Test
  void aNamedCommandIsBuiltAloneAfterRootOptions() {
    assertEquals(Optional.of(UpCommand.class), KeikoCli.named(new String[] {"up", "--timeout", "10s"}));
    assertEquals(Optional.of(UpCommand.class), KeikoCli.named(new String[] {"-C", "up", "up"}));
    assertEquals(Optional.of(StatusCommand.class), KeikoCli.named(new String[] {"--project-dir=x", "--stacktrace", "status"}));
    assertEquals(Optional.of(BackupCommand.class), KeikoCli.named(new String[] {"-Cdir", "backup", "verify", "a.tar"}));
  }

  @Test
  void helpVersionCompletionAndUnknownNamesGetTheWholeTree() {
    assertEquals(Optional.empty(), KeikoCli.named(new String[] {}));
    assertEquals(Optional.empty(), KeikoCli.named(new String[] {"--help"}));
    assertEquals(Optional.empty(), KeikoCli.named(new String[] {"-C", "dir", "--version"}));
    assertEquals(Optional.empty(), KeikoCli.named(new String[] {"completion", "bash"}));
    assertEquals(Optional.empty(), KeikoCli.named(new String[] {"statsu"}));
  }

  @Test
  void aMistypedCommandIsStillOfferedTheRealOne() {
    CliHarness.Result r = new CliHarness(Services.real(TestWorkspaces.jimfs(), false)).run("statsu");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("status"), r::toString);
  }

  @Test
  void completionStillCoversEveryCommand() {
    CliHarness.Result r = new CliHarness(Services.real(TestWorkspaces.jimfs(), false)).run("completion", "bash");
    assertEquals(0, r.exitCode(), r::toString);
    for (String name : new String[] {"init", "render", "validate", "up", "down", "status", "doctor", "backup", "restore"}) {
      assertTrue(r.out().contains(name), name + " missing from the completion script");
    }
  }
}
