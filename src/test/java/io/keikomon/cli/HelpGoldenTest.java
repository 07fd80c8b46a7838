package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.testing.CliHarness;
import io.keikomon.testing.GoldenFile;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** --help of the tool and of every command is reviewed like code: a change shows up as a golden diff. */
class HelpGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/help");

  static Stream<String> commands() {
    List<String> names = new ArrayList<>();
    names.add("");
    CommandLine root = KeikoCli.create(Services.real(TestWorkspaces.jimfs(), false));
    root.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        names.add(name);
        sub.getSubcommands().keySet().forEach(nested -> names.add(name + " " + nested));
      }
    });
    return names.stream();
  }

  @ParameterizedTest(name = "keiko-mon {0} --help")
  @MethodSource("commands")
  void helpMatchesGoldenFile(String command) {
    CliHarness cli = new CliHarness(Services.real(TestWorkspaces.jimfs(), false));
    List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");
    CliHarness.Result r = cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r::toString);
    GoldenFile.assertMatches(GOLDEN.resolve((command.isEmpty() ? "keiko-mon" : command.replace(' ', '-')) + ".txt"),
        r.out());
  }
}
