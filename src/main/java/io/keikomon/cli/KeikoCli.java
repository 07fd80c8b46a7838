package io.keikomon.cli;

import io.keikomon.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Builds the command line the same way for {@link Main} and for tests. */
public final class KeikoCli {
  private KeikoCli() {}

  public static CommandLine create(Services services) {
    return create(services, false);
  }

  private static CommandLine create(Services services, boolean projectDirApplied) {
    ErrorReporter reporter = new ErrorReporter();
    CommandLine cl = new CommandLine(new RootCommand(), new CommandFactory(services));
    cl.setExecutionExceptionHandler(reporter);
    cl.setExitCodeExceptionMapper(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine.IExecutionStrategy run = new DefaultStackNotice(services.workspace(), new CommandLine.RunLast());
    cl.setExecutionStrategy(projectDirApplied ? run : parsed -> runIn(services, parsed, run));
    return cl;
  }

  /**
   * Commands get their {@link Services} when the command line is built, before {@code -C} is parsed; so a
   * {@code -C DIR} re-runs the same arguments on a command line whose workspace is DIR.
   */
  private static int runIn(Services services, ParseResult parsed, CommandLine.IExecutionStrategy here) {
    CommandLine root = parsed.commandSpec().commandLine();
    Path requested = ((RootCommand) root.getCommand()).projectDir;
    if (requested == null) {
      return here.execute(parsed);
    }
    Workspace ws = services.workspace();
    Path dir = ws.dir().resolve(requested.toString()).normalize();
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(root,
          "-C/--project-dir: " + dir + " is not a folder (create it, or run keiko-mon init there)");
    }
    CommandLine there = create(services.withWorkspace(new Workspace(dir, ws.env(), ws.clock())), true)
        .setOut(root.getOut())
        .setErr(root.getErr())
        .setColorScheme(root.getColorScheme())
        .setUsageHelpWidth(root.getUsageHelpWidth());
    return there.execute(parsed.originalArgs().toArray(String[]::new));
  }
}
