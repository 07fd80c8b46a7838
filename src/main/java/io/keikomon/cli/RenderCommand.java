package io.keikomon.cli;

import io.keikomon.render.RenderService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Write the output folder (default monitoring/) from keiko.yml and the templates.",
      "A file edited by hand since the last render stops the render before anything is written;",
      "templates in templates/ next to keiko.yml override the built-in ones."
    })
final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "Write nothing; print what would change as a unified diff.")
  boolean dryRun;

  @Option(names = "--force",
      description = "Overwrite files edited by hand, keeping each one's previous content as <file>.bak-<time>.")
  boolean force;

  private final Services services;

  RenderCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    new RenderService(services.workspace(), WriterConsole.of(spec, services))
        .render(new RenderService.Options(dryRun, force));
    return ExitCodes.OK;
  }
}
