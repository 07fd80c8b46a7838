package io.keikomon.cli;

import java.util.List;

/** What keiko-mon says when SIGINT (Ctrl-C) or SIGTERM stops a command: what it was doing, and what to do next. */
final class Interruption {
  private Interruption() {}

  static String message(String[] args, List<String> inFlight) {
    String command = command(args);
    StringBuilder m = new StringBuilder("keiko-mon").append(command.isEmpty() ? "" : " " + command)
        .append(": interrupted (SIGINT or SIGTERM)");
    if (!inFlight.isEmpty()) {
      m.append(" while waiting for the engine to ").append(String.join(", ", inFlight.stream().sorted().toList()));
    }
    if (command.equals("up")) {
      m.append("\nhint: what was started stays; `keiko-mon up` again finishes the job (or `keiko-mon down` removes it)");
    } else if (command.equals("down")) {
      m.append("\nhint: some containers may be left; `keiko-mon down` again removes the rest");
    }
    return m.toString();
  }

  /** The subcommand's name: the first argument that is not an option (or an option's value, for -C). */
  private static String command(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-C") || a.equals("--project-dir")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return "";
  }
}
