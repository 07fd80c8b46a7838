package io.keikomon.cli;

import io.keikomon.core.OperationFailedException;
import io.keikomon.stack.Stack;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Print the log of the stack's services (all, or the ones named), each line prefixed by its service.")
final class LogsCommand implements Callable<Integer> {
  private final Services services;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Services to show (default: all).")
  List<String> names = new ArrayList<>();

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "-1",
      description = "Only the last N lines of each service (default: all).")
  int tail;

  LogsCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    Stack stack = StackCommands.find(services);
    PrintWriter out = spec.commandLine().getOut();
    try {
      services.stackRuntime().logs(stack, names, tail, follow, line -> {
        out.println(line);
        out.flush();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while reading logs", null);
    }
    return ExitCodes.OK;
  }
}
