package io.keikomon.cli;

import io.keikomon.core.Console;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@link Console} of a command: normal output on picocli's out writer, messages on its err writer. */
public final class WriterConsole implements Console {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;

  public WriterConsole(PrintWriter out, PrintWriter err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /** The console of the command being run. */
  public static WriterConsole of(CommandLine.Model.CommandSpec spec, Services services) {
    CommandLine cl = spec.commandLine();
    return new WriterConsole(cl.getOut(), cl.getErr(), services.terminal());
  }

  @Override
  public void out(String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public void info(String line) {
    err.println(line);
    err.flush();
  }

  @Override
  public void warn(String line) {
    err.println(line.startsWith("warning: ") || line.contains(": warning: ") ? line : "warning: " + line);
    err.flush();
  }

  @Override
  public boolean interactive() {
    return interactive;
  }
}
