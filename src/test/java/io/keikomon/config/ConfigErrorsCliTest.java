package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.KeikoCli;
import io.keikomon.cli.Services;
import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * How a bad keiko.yml reaches the user through the real CLI wiring (ErrorReporter): exit 3, every
 * problem on its own line, no stack trace. A stand-in subcommand loads the config the way render and
 * validate do, and writes a file only after a successful load.
 */
class ConfigErrorsCliTest {

  @Command(name = "load-config")
  static final class LoadConfig implements Callable<Integer> {
    private final Workspace ws;

    LoadConfig(Workspace ws) {
      this.ws = ws;
    }

    @Override
    public Integer call() throws Exception {
      ConfigLoader.load(ws);
      Files.writeString(ws.dir().resolve("written"), "loaded");
      return 0;
    }
  }

  private record Run(int exitCode, String err) {}

  private static Run run(Workspace ws, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = KeikoCli.create(new Services(ws, false))
        .addSubcommand("load-config", new LoadConfig(ws))
        .setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), err.toString());
  }

  @Test
  void malformedYamlExitsThreeWithItsPositionAndWritesNothing() {
    Workspace ws = TestWorkspaces.withConfig("ports:\n  grafana: 3001\n prometheus: 9090\n");
    Run r = run(ws, "load-config");
    assertEquals(3, r.exitCode(), r.err());
    assertEquals("keiko.yml:3:2: ports.prometheus: malformed YAML: expected <block end>, but found"
        + " '<block mapping start>' (while parsing a block mapping) (hint: check indentation, colons and quotes at"
        + " this position)\nerror: 1 problem found; nothing was written\n", r.err());
    assertFalse(Files.exists(ws.dir().resolve("written")));
  }

  @Test
  void everyProblemIsPrintedAndNoStackTrace() {
    Run r = run(TestWorkspaces.withConfig("version: 3\nports: {grafana: 99999}\nbindd: 127.0.0.1\n"), "load-config");
    assertEquals(3, r.exitCode(), r.err());
    assertEquals(String.join("\n",
        "keiko.yml:1:10: version: unsupported version 3 (hint: this keiko-mon reads version 1; set \"version: 1\" and"
            + " compare your file with the one `keiko-mon init` writes)",
        "keiko.yml:2:18: ports.grafana: port 99999 is out of range 1-65535 (hint: pick a free port, e.g. one between"
            + " 1024 and 65535)",
        "keiko.yml:3:1: bindd: unknown key (hint: did you mean \"bind\"?)",
        "error: 3 problems found; nothing was written", ""), r.err());
  }

  @Test
  void stackTraceOnlyWhenAskedFor() {
    Run r = run(TestWorkspaces.withConfig("version: 3\n"), "load-config", "--stacktrace");
    assertEquals(3, r.exitCode(), r.err());
    assertTrue(r.err().contains("at io.keikomon.config.ConfigLoader.load"), r.err());
  }

  @Test
  void validFileLoads() {
    Workspace ws = TestWorkspaces.withConfig("project: shop\n");
    assertEquals(0, run(ws, "load-config").exitCode());
    assertTrue(Files.exists(ws.dir().resolve("written")));
  }
}
