package io.keikomon.testing;

import io.keikomon.cli.KeikoCli;
import io.keikomon.cli.Services;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs keiko-mon in-process with captured output; never touches System.out. */
public final class CliHarness {
  private final Services services;

  public CliHarness(Services services) {
    this.services = services;
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = KeikoCli.forArgs(services, args)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
        .setUsageHelpWidth(100);
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** toString() shows everything, so it makes a good assertion message. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
