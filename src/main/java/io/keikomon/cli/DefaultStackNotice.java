package io.keikomon.cli;

import io.keikomon.config.ConfigLoader;
import io.keikomon.core.KeikoException;
import io.keikomon.core.Workspace;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Says on stderr, before any command that acts on a stack, that the folder has no keiko.yml of its own (or an
 * empty one) and what the embedded default it runs instead means: every such folder is project "keiko" with
 * the same ports, so acting on it may well act on someone else's stack.
 */
final class DefaultStackNotice implements IExecutionStrategy {
  private static final Set<String> ACTING = Set.of("render", "validate", "up", "down", "status", "logs");

  private final Workspace ws;
  private final IExecutionStrategy next;

  DefaultStackNotice(Workspace ws, IExecutionStrategy next) {
    this.ws = ws;
    this.next = next;
  }

  @Override
  public int execute(ParseResult parsed) {
    List<CommandLine> chain = parsed.asCommandLineList();
    CommandLine command = chain.get(chain.size() - 1);
    ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (ACTING.contains(command.getCommandName()) && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()
        && usesDefault()) {
      command.getErr().println("note: " + (java.nio.file.Files.exists(ws.configFile()) ? "keiko.yml is empty"
          : "no keiko.yml in " + ws.dir()) + ": using the embedded default (" + ConfigLoader.describeDefault()
          + "); `keiko-mon init` writes a keiko.yml to change them");
      command.getErr().flush();
    }
    return next.execute(parsed);
  }

  /** Asking must never be what fails a command: an unreadable keiko.yml is the command's own error to report. */
  private boolean usesDefault() {
    try {
      return ConfigLoader.usesEmbeddedDefault(ws);
    } catch (KeikoException e) {
      return false;
    }
  }
}
