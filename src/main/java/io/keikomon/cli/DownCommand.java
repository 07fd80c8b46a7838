package io.keikomon.cli;

import io.keikomon.config.ConfigLoader;
import io.keikomon.core.ConfirmationRequiredException;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackTeardown;
import io.keikomon.engine.ProjectLock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stop and remove the stack's containers and network (found by the Compose project label).",
      "Volumes (metrics, dashboards, silences, traces) are kept unless --volumes is given.",
      "Where no keiko.yml names the project (none, or an empty one), the folder runs the embedded",
      "default, project keiko, shared by every such folder: down then refuses (exit 2) unless",
      "--project keiko or --yes confirms it."
    })
final class DownCommand implements Callable<Integer> {
  /** How long down waits for an up (or down) of the same project to finish. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final Services services;

  @Spec CommandSpec spec;

  @Option(names = "--volumes", description = "Also remove the stack's volumes: its stored metrics and state are lost.")
  boolean volumes;

  @Option(names = "--project", paramLabel = "NAME",
      description = "Confirm the project to remove; down refuses (exit 2) when keiko.yml names another.")
  String project;

  @Option(names = "--yes", description = "Remove the embedded default's project (keiko) without --project.")
  boolean yes;

  DownCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    String project = confirmedProject();
    Stack stack = StackCommands.find(services);
    PrintWriter err = spec.commandLine().getErr();
    StackTeardown.Result result;
    io.keikomon.stack.StackRuntime runtime = services.stackRuntime();
    String kind = runtime instanceof io.keikomon.stack.SwarmStackRuntime ? "service" : "container";
    try (ProjectLock lock = ProjectLock.acquire(services.workspace().dir(), services.docker().get(), project, "down",
        LOCK_WAIT, line -> {
          err.println(line);
          err.flush();
        })) {
      result = runtime.down(stack, volumes, line -> {
        err.println(line);
        err.flush();
      });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (result.nothingFound()) {
      out.println("nothing to remove: project " + project + " has no " + kind + "s, networks or volumes");
    }
    result.containers().forEach(c -> out.println("removed " + kind + " " + c));
    result.networks().forEach(n -> out.println("removed network " + n));
    result.removedVolumes().forEach(v -> out.println("removed volume " + v));
    if (!result.keptVolumes().isEmpty()) {
      out.println("kept " + result.keptVolumes().size() + (result.keptVolumes().size() == 1 ? " volume" : " volumes")
          + " (stored metrics and state): " + String.join(", ", result.keptVolumes()));
      out.println("  `keiko-mon down --volumes` removes them");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The project to remove, once the command line confirms it when nothing in this folder names it. */
  private String confirmedProject() {
    String configured = ConfigLoader.load(services.workspace()).config().project();
    if (project != null && !project.equals(configured)) {
      throw new ConfirmationRequiredException("--project " + project + " does not match the project here, "
          + configured + "; nothing was removed", "run down from the folder whose keiko.yml names " + project);
    }
    if (project == null && !yes && ConfigLoader.usesEmbeddedDefault(services.workspace())) {
      throw new ConfirmationRequiredException("no keiko.yml here names a project, so down would remove project "
          + configured + " (the embedded default), which may be another folder's stack; nothing was removed",
          "run down from the stack's own folder, or confirm with `keiko-mon down --project " + configured
              + "` (or --yes)");
    }
    return configured;
  }
}
