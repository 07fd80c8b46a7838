package io.keikomon.cli;

import io.keikomon.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Builds the command line the same way for {@link Main} and for tests. */
public final class KeikoCli {
  /** The subcommands, in the order --help lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      InitCommand.class,
      RenderCommand.class,
      ValidateCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      DoctorCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      CertsCommand.class,
      SecretsCommand.class,
      LogsCommand.class,
      CompletionCommand.class,
      CdsTrainingCommand.class);

  private KeikoCli() {}

  /** The whole command tree (--help, completion, man pages, tests). */
  public static CommandLine create(Services services) {
    return create(services, false, Optional.empty());
  }

  /**
   * The tree {@code args} need: only the subcommand they name, when they name one that needs no siblings. Building
   * picocli's model of every subcommand took 0.17 s of each run (reflection over ~20 annotated classes); a run uses one.
   */
  public static CommandLine forArgs(Services services, String[] args) {
    return create(services, false, named(args));
  }

  /** The subcommand {@code args} run, when the tree can be only that one; empty when it needs them all. */
  static Optional<Class<?>> named(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-C") || a.equals("--project-dir")) {
        i++; // its value
      } else if (a.equals("--stacktrace") || a.startsWith("--project-dir=") || (a.startsWith("-C") && a.length() > 2)) {
        continue;
      } else if (a.startsWith("-")) {
        return Optional.empty(); // --help, --version, a mistyped option: the root's answer may list every command
      } else {
        // completion writes a script for the whole tree; an unknown name gets "did you mean" from all of them
        return SUBCOMMANDS.stream()
            .filter(c -> !c.equals(CompletionCommand.class))
            .filter(c -> c.getAnnotation(CommandLine.Command.class).name().equals(a))
            .findFirst();
      }
    }
    return Optional.empty();
  }

  private static CommandLine create(Services services, boolean projectDirApplied, Optional<Class<?>> only) {
    ErrorReporter reporter = new ErrorReporter();
    CommandLine cl = new CommandLine(new RootCommand(), new CommandFactory(services));
    only.map(List::<Class<?>>of).orElse(SUBCOMMANDS).forEach(cl::addSubcommand);
    cl.setExecutionExceptionHandler(reporter);
    cl.setExitCodeExceptionMapper(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine.IExecutionStrategy run = new DefaultStackNotice(services.workspace(), new CommandLine.RunLast());
    cl.setExecutionStrategy(projectDirApplied ? run : parsed -> runIn(services, parsed, run, only));
    return cl;
  }

  /**
   * Commands get their {@link Services} when the command line is built, before {@code -C} is parsed; so a
   * {@code -C DIR} re-runs the same arguments on a command line whose workspace is DIR.
   */
  private static int runIn(Services services, ParseResult parsed, CommandLine.IExecutionStrategy here,
      Optional<Class<?>> only) {
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
    CommandLine there = create(services.withWorkspace(new Workspace(dir, ws.env(), ws.clock())), true, only)
        .setOut(root.getOut())
        .setErr(root.getErr())
        .setColorScheme(root.getColorScheme())
        .setUsageHelpWidth(root.getUsageHelpWidth());
    return there.execute(parsed.originalArgs().toArray(String[]::new));
  }
}
