package io.keikomon.cli;

import io.keikomon.backup.BackupService;
import io.keikomon.backup.Part;
import io.keikomon.backup.VerifyService;
import io.keikomon.core.Lazy;
import io.keikomon.engine.DockerGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    subcommands = BackupCommand.Verify.class,
    description = {
      "Write one .tar.gz of the project at one point in time: config (keiko.yml, templates, the",
      "rendered tree), prometheus (a TSDB snapshot through the admin API, head included),",
      "alertmanager (active and pending silences), grafana (folders and dashboards through its",
      "API). Named <project>-<UTC time>.tar.gz; an existing file is never overwritten.",
      "In swarm mode the snapshot is of one Prometheus replica, named in the manifest.",
      ".env and the secrets folder only with --include-secrets (the file is then 0600).",
      "`keiko-mon backup verify FILE` checks an archive; `keiko-mon restore FILE` restores it."
    })
final class BackupCommand implements Callable<Integer> {
  private final Services services;

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE|-",
      description = "Where to write the archive; - streams it to stdout (for a pipe to an uploader). Default: a new"
          + " file <project>-<UTC time>.tar.gz here.")
  String out;

  @Option(names = "--include-secrets", description = "Also back up .env and the rendered secrets folder.")
  boolean includeSecrets;

  @Option(names = "--only", paramLabel = "PART", split = ",", arity = "1..*", converter = PartConverter.class,
      description = "Back up only these parts: config, prometheus, grafana, alertmanager (default: all the"
          + " stack has).")
  List<Part> only;

  @Option(names = "--dir", paramLabel = "DIR", description = "Write a new archive into DIR (for cron).")
  Path dir;

  @Option(names = "--keep", paramLabel = "N", description = "With --dir: keep only the newest N archives of the"
      + " project there.")
  Integer keep;

  BackupCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    if (keep != null && (dir == null || keep < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--keep needs --dir and a number of at least 1");
    }
    if (dir != null && out != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --out or --dir, not both");
    }
    WriterConsole console = WriterConsole.of(spec, services);
    Supplier<DockerGateway> docker = Lazy.of(() -> services.docker().get());
    BackupService backup = new BackupService(services.workspace(), console, docker, services::stackRuntime);
    BackupService.Options options = new BackupService.Options(parts(only), includeSecrets, VersionProvider.version());
    if ("-".equals(out)) {
      if (services.stdout() == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--out - needs a standard output stream");
      }
      backup.toStream(options, services.stdout());
    } else if (dir != null) {
      backup.toDir(options, services.workspace().dir().resolve(dir), keep == null ? 0 : keep);
    } else {
      Path file = out != null ? services.workspace().dir().resolve(out) : services.workspace().dir().resolve(
          BackupService.fileName(io.keikomon.config.ConfigLoader.load(services.workspace()).config().project(),
              services.workspace().clock().instant()));
      backup.toFile(options, file);
    }
    return ExitCodes.OK;
  }

  static Set<Part> parts(List<Part> only) {
    return only == null || only.isEmpty() ? Set.of() : EnumSet.copyOf(only);
  }

  static final class PartConverter implements CommandLine.ITypeConverter<Part> {
    @Override
    public Part convert(String value) {
      return Part.of(value).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value
          + "' is not a part; use config, prometheus, grafana or alertmanager"));
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a backup archive: every entry's size and SHA-256 against its manifest, nothing",
        "missing or added, gzip's CRC (exit 3 otherwise); then restore its prometheus and",
        "alertmanager parts into a throwaway project on free ports, compare series, samples and",
        "silences with the manifest and remove the project again (exit 1 on a difference)."
      })
  static final class Verify implements Callable<Integer> {
    private final Services services;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive to check.")
    Path file;

    @Option(names = "--checksums-only", description = "Check checksums and manifest only; start nothing.")
    boolean checksumsOnly;

    @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
        converter = UpCommand.DurationConverter.class,
        description = "How long the throwaway project may take to come up (default ${DEFAULT-VALUE}).")
    Duration timeout;

    Verify(Services services) {
      this.services = services;
    }

    @Override
    public Integer call() {
      WriterConsole console = WriterConsole.of(spec, services);
      Path archive = services.workspace().dir().resolve(file);
      VerifyService verify = new VerifyService(console);
      if (checksumsOnly) {
        verify.verify(archive);
      } else {
        Supplier<DockerGateway> docker = Lazy.of(() -> services.docker().get());
        // the throwaway project is a compose project whatever this folder's mode (a swarm archive's blocks too)
        verify.verifyByRestoring(archive, services.workspace(), docker,
            () -> new io.keikomon.stack.ComposeStackRuntime(docker.get(), services.workspace().clock()),
            RestoreCommand.starter(services, console, docker, timeout), timeout);
      }
      return ExitCodes.OK;
    }
  }
}
