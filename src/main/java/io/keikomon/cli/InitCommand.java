package io.keikomon.cli;

import io.keikomon.config.Secrets;
import io.keikomon.init.InitService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Write an annotated keiko.yml (every default, commented) and a .env (mode 0600) with a"
        + " generated Grafana admin password. Refuses to overwrite either file without --force.")
final class InitCommand implements Callable<Integer> {
  private final Services services;

  @Spec CommandSpec spec;

  @Option(names = "--force", description = "Replace existing files, keeping a timestamped backup of each;"
      + " the values in an existing .env are kept.")
  boolean force;

  InitCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    InitService.Result result = new InitService(services.workspace()).init(force);
    PrintWriter out = spec.commandLine().getOut();
    Path dir = services.workspace().dir();
    for (Path b : result.backups()) {
      out.println("kept backup " + dir.relativize(b));
    }
    out.println("wrote " + dir.relativize(services.workspace().configFile())
        + " (every default, commented; keep only the keys you change)");
    List<String> notes = new ArrayList<>(List.of("mode 0600"));
    if (!result.keptVariables().isEmpty()) {
      notes.add("kept " + String.join(", ", result.keptVariables()) + " from the previous .env");
    }
    if (!result.keptVariables().contains(Secrets.GRAFANA_ADMIN_PASSWORD)) {
      notes.add("generated " + Secrets.GRAFANA_ADMIN_PASSWORD);
    }
    out.println("wrote " + dir.relativize(services.workspace().envFile()) + " (" + String.join("; ", notes) + ")");
    out.println("next: keiko-mon render");
    out.flush();
    return ExitCodes.OK;
  }
}
