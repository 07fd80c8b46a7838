package io.keikomon.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import java.nio.file.Path;

// Subcommands: KeikoCli.SUBCOMMANDS (registered there, so a run can build only the one it names).
@Command(
    name = "keiko-mon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Generates and runs the monitoring stack of the Keiko Personal Assistant backend.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:ok",
      " 1:operation failed",
      " 2:bad command line, or a missing confirmation (down, restore: see their --help)",
      " 3:invalid configuration (keiko.yml, a rendered file) or backup archive",
      " 4:Docker unavailable",
      " 5:timed out or unhealthy",
      " 6:status: the stack runs, but a monitored target is down (e.g. pg_up 0)",
      " 130:interrupted (Ctrl-C, SIGINT)",
      " 143:terminated (SIGTERM)"
    })
final class RootCommand {
  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
  boolean stacktrace;

  /** Applied by {@link KeikoCli} before the command runs: every command then works in that folder. */
  @Option(names = {"-C", "--project-dir"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Run as if started in DIR (the folder holding keiko.yml, .env and the output).")
  Path projectDir;
}
