package io.keikomon.cli;

import io.keikomon.config.TextFile;
import io.keikomon.core.Lazy;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.up.SecretRotation;
import io.keikomon.up.UpService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    subcommands = SecretsCommand.Rotate.class,
    description = {"The passwords of the stack (kept in .env): `secrets rotate` replaces them on the running stack."})
final class SecretsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Generate new passwords into .env and apply them to the running stack without restarting",
        "Prometheus, Alertmanager or node-exporter: the web configs and the secret files are rewritten",
        "(in place, so the containers see them) and re-read by the services per request; Grafana's",
        "datasources are re-provisioned. Grafana's admin password is changed through its API first,",
        "with the password in .env or --grafana-current-password-file. The previous .env is kept as",
        ".env.bak-<time>. NAME: prometheus, alertmanager, node-exporter, grafana (default: all the stack has)."
      })
  static final class Rotate implements Callable<Integer> {
    private static final Duration PROBE_EVERY = Duration.ofMillis(200);

    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME", completionCandidates = Names.class,
        description = "What to rotate: ${COMPLETION-CANDIDATES} (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--grafana-current-password-file", paramLabel = "FILE",
        description = "A file holding the password Grafana's admin has now, when it is not GRAFANA_ADMIN_PASSWORD"
            + " (Grafana keeps the password of its volume; the variable applies only to a new one).")
    Path grafanaCurrentPasswordFile;

    @Option(names = "--timeout", defaultValue = "3m", paramLabel = "DURATION",
        converter = UpCommand.DurationConverter.class,
        description = "How long applying the new passwords may take (default ${DEFAULT-VALUE}).")
    Duration timeout;

    private final Services services;

    Rotate(Services services) {
      this.services = services;
    }

    @Override
    public Integer call() {
      for (String name : names) {
        if (!SecretRotation.NAMES.contains(name)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "unknown secret '" + name + "'; use one of "
              + String.join(", ", SecretRotation.NAMES));
        }
      }
      WriterConsole console = WriterConsole.of(spec, services);
      Optional<String> current = Optional.ofNullable(grafanaCurrentPasswordFile).map(f -> TextFile.require(
          TextFile.read(services.workspace().dir().resolve(f), f.toString())).stripTrailing());
      if (current.isPresent() && current.get().isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), grafanaCurrentPasswordFile + " is empty");
      }
      Instant deadline = Instant.now().plus(timeout);
      Supplier<DockerGateway> docker = Lazy.of(() -> DeadlineGateway.until(services.docker().get(), deadline));
      UpService up = new UpService(services.workspace(), console, docker, UpCommand.validation(services), PROBE_EVERY);
      new SecretRotation(services.workspace(), console, docker, () -> up.up(new UpService.Options(timeout, true)))
          .rotate(new SecretRotation.Options(names, current));
      return ExitCodes.OK;
    }
  }

  static final class Names extends ArrayList<String> {
    Names() {
      super(SecretRotation.NAMES);
    }
  }
}
