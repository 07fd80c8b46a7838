package io.keikomon.cli;

import io.keikomon.backup.Part;
import io.keikomon.backup.RestoreService;
import io.keikomon.core.Lazy;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.up.UpService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup archive. Checks every checksum and the project first: a damaged,",
      "truncated or foreign archive changes nothing (exit 3). Takes a safety backup of the",
      "current state into .keiko-mon/safety/ and rolls back to it when a step fails.",
      "config: keiko.yml, templates and the rendered tree, then `up`. prometheus: stops it,",
      "replaces its data with the snapshot (data written after the backup is gone), starts it",
      "and waits until it is ready. alertmanager: re-creates silences that have not ended (new",
      "ids). grafana: folders by uid, then dashboards with overwrite; provisioned ones come",
      "from their files. In an empty folder, restore FILE alone brings the project back."
    })
final class RestoreCommand implements Callable<Integer> {
  private static final Duration PROBE_EVERY = Duration.ofMillis(200);

  private final Services services;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The archive written by `keiko-mon backup`.")
  Path file;

  @Option(names = "--only", paramLabel = "PART", split = ",", arity = "1..*",
      converter = BackupCommand.PartConverter.class,
      description = "Restore only these parts: config, prometheus, grafana, alertmanager (default: all the archive"
          + " holds).")
  List<Part> only;

  @Option(names = "--dry-run", description = "Print what would change; change nothing.")
  boolean dryRun;

  @Option(names = "--yes", description = "Replace Prometheus' data and overwrite changed files without asking"
      + " (restore refuses with exit 2 otherwise).")
  boolean yes;

  @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
      converter = UpCommand.DurationConverter.class,
      description = "How long the stack may take to come up and be ready (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /** `keiko-mon up` in a workspace, validation included, within {@code timeout}. */
  static RestoreService.StackStarter starter(Services services, WriterConsole console, Supplier<DockerGateway> docker,
      Duration timeout) {
    return ws -> {
      Supplier<DockerGateway> bounded = Lazy.of(() -> DeadlineGateway.until(docker.get(), Instant.now().plus(timeout)));
      new UpService(ws, console, bounded, UpCommand.validation(services), PROBE_EVERY).up(new UpService.Options(timeout, true));
    };
  }

  RestoreCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    WriterConsole console = WriterConsole.of(spec, services);
    Supplier<DockerGateway> docker = Lazy.of(() -> services.docker().get());
    RestoreService.StackStarter up = starter(services, console, docker, timeout);
    new RestoreService(services.workspace(), console, docker, services::stackRuntime, up)
        .restore(services.workspace().dir().resolve(file), new RestoreService.Options(BackupCommand.parts(only),
            dryRun, yes, VersionProvider.version(), timeout));
    return ExitCodes.OK;
  }
}
