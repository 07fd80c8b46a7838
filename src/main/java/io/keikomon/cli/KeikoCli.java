package io.keikomon.cli;

import picocli.CommandLine;

/** Builds the command line the same way for {@link Main} and for tests. */
public final class KeikoCli {
  private KeikoCli() {}

  public static CommandLine create(Services services) {
    ErrorReporter reporter = new ErrorReporter();
    CommandLine cl = new CommandLine(new RootCommand(), new CommandFactory(services));
    cl.setExecutionExceptionHandler(reporter);
    cl.setExitCodeExceptionMapper(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(new DefaultStackNotice(services.workspace(), new CommandLine.RunLast()));
    return cl;
  }
}
