package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What users expect of any CLI: -C, shell completion that really completes, man pages that groff reads. */
class CliConventionsTest {
  private final Workspace ws = TestWorkspaces.jimfs();
  private final CliHarness cli = new CliHarness(Services.real(ws, false));

  @Test
  void projectDirMakesEveryCommandWorkInThatFolder() throws Exception {
    Path other = ws.dir().resolveSibling("elsewhere");
    Files.createDirectories(other);
    CliHarness.Result init = cli.run("-C", "../elsewhere", "init");
    assertEquals(0, init.exitCode(), init.toString());
    assertTrue(Files.exists(other.resolve("keiko.yml")), init.toString());
    assertFalse(Files.exists(ws.configFile()), "nothing written where keiko-mon was started");

    CliHarness.Result render = cli.run("render", "--project-dir=" + other);
    assertEquals(0, render.exitCode(), render.toString());
    assertTrue(Files.exists(other.resolve("monitoring/prometheus/prometheus.yml")), render.toString());
    assertFalse(Files.exists(ws.dir().resolve("monitoring")));
  }

  @Test
  void projectDirThatIsNoFolderIsABadCommandLine() {
    CliHarness.Result r = cli.run("-C", "/no/such/folder", "render");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("/no/such/folder is not a folder"), r.toString());
  }

  @Test
  void bashCompletionCompletesCommandsAndOptionsInARealBash(@TempDir Path tmp) throws Exception {
    CliHarness.Result r = cli.run("completion", "bash");
    assertEquals(0, r.exitCode(), r.toString());
    Path script = tmp.resolve("keiko-mon.bash");
    Files.writeString(script, r.out());
    assertEquals(List.of("status"), complete(script, "st"));
    assertTrue(complete(script, "up --").containsAll(List.of("--timeout", "--no-wait", "--project-dir")),
        complete(script, "up --").toString());
    assertFalse(complete(script, "").contains("cds-training"), "hidden commands are not offered");
  }

  /** COMPREPLY of keiko-mon's completion function for the words typed after "keiko-mon ". */
  private static List<String> complete(Path script, String typed) throws Exception {
    String words = "keiko-mon " + typed;
    // compopt only works inside a completion bash itself invoked; outside it, it just complains.
    String program = "source " + script + "\ncompopt() { :; }\n"
        + "COMP_LINE='" + words + "'; COMP_POINT=${#COMP_LINE}\n"
        + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
        + (typed.isEmpty() || typed.endsWith(" ") ? "COMP_WORDS+=('')\n" : "")
        + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        + "_complete_keiko-mon keiko-mon\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Tool r = Tool.run(script.getParent(), "bash", "-c", program);
    assertEquals(0, r.exitCode(), r.output());
    return r.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void zshCompletionLoadsBashcompinitFirst() {
    CliHarness.Result r = cli.run("completion", "zsh");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit"), r.out());
    assertTrue(r.out().contains("complete -F _complete_keiko-mon"), r.out());
  }

  @Test
  void manPagesCoverEveryVisibleCommandAndOptionAndGroffReadsThemWithoutWarnings(@TempDir Path tmp)
      throws Exception {
    CommandLine root = KeikoCli.create(Services.real(ws, false));
    List<Path> pages = ManPages.write(root, tmp, "9.9.9");
    long visible = root.getSubcommands().values().stream()
        .filter(c -> !c.getCommandSpec().usageMessage().hidden()).count();
    assertEquals(visible + 1, pages.size());
    for (CommandLine sub : root.getSubcommands().values()) {
      if (sub.getCommandSpec().usageMessage().hidden()) {
        assertFalse(Files.exists(tmp.resolve("keiko-mon-" + sub.getCommandName() + ".1")));
        continue;
      }
      Path page = tmp.resolve("keiko-mon-" + sub.getCommandName() + ".1");
      Tool text = Tool.run(tmp, "groff", "-man", "-Tutf8", "-ww", "-P", "-cbou", page.toString());
      assertEquals(0, text.exitCode(), text.output());
      assertFalse(text.output().contains("troff:"), page + ": " + text.output());
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (!o.hidden()) {
          assertTrue(text.output().contains(o.longestName()), page + " lacks " + o.longestName());
        }
      }
      assertTrue(text.output().contains("EXIT STATUS"), page.toString());
      assertTrue(text.output().contains("keiko-mon 9.9.9"), page.toString());
    }
  }
}
