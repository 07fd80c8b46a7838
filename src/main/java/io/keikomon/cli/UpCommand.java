package io.keikomon.cli;

import io.keikomon.core.Workspace;
import io.keikomon.compose.GoDuration;
import io.keikomon.up.UpService;
import io.keikomon.validate.ValidateService;
import io.keikomon.core.Lazy;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.config.Problem;
import java.time.Duration;

import java.time.Instant;
import java.util.function.Supplier;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the stack, or bring it in line with keiko.yml, and wait until it is healthy.",
      "Renders when keiko.yml changed and validates before touching anything. Creates what",
      "is missing, recreates only services whose definition changed, hot-reloads",
      "Prometheus, Alertmanager and the blackbox exporter when only their config files",
      "changed, removes services no longer in the compose file. An unchanged stack is",
      "left alone.",
      "Swarm mode (keiko.yml mode: swarm): needs a swarm manager (else exit 4), deploys",
      "docker-stack.monitoring.yml as services, configs and secrets, updates only what",
      "changed (Swarm rolls it out replica by replica) and waits until every service",
      "has converged."
    })
final class UpCommand implements Callable<Integer> {
  /** How often readiness is probed while waiting; short, because every probe is one cheap exec. */
  private static final Duration PROBE_EVERY = Duration.ofMillis(200);

  @Spec CommandSpec spec;

  @Option(names = "--timeout", defaultValue = "3m", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long up may take in all, waiting for health included (e.g. 90s, 5m; default"
          + " ${DEFAULT-VALUE}); an engine that stops answering ends it by then with exit 4.")
  Duration timeout;

  @Option(names = "--no-wait", description = "Return once every container is started; do not wait for health.")
  boolean noWait;

  @Option(names = "--force", description = "Take over the project's containers when they were started from another"
      + " folder (they are recreated with this folder's files; volumes are kept).")
  boolean force;

  private final Services services;

  UpCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    WriterConsole console = WriterConsole.of(spec, services);
    // --timeout bounds the whole command: every engine call ends by then (pulls: while progress keeps coming)
    Instant deadline = Instant.now().plus(timeout);
    Supplier<DockerGateway> docker = Lazy.of(() -> DeadlineGateway.until(services.docker().get(), deadline));
    new UpService(services.workspace(), console, docker, validation(services), PROBE_EVERY)
        .up(new UpService.Options(timeout, !noWait, force));
    return ExitCodes.OK;
  }

  /**
   * The same checks as `keiko-mon validate`; any error stops `up` before the stack is touched. Oracle runs whose
   * inputs passed before are not repeated, so a rule change runs promtool on that rule's file and tests only.
   */
  static UpService.Validation validation(Services services) {
    return (ws, justRendered) -> ValidateService.remembering(services.oracles()).requireValid(ws, justRendered);
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      OptionalLong nanos = GoDuration.parseNanos(value);
      if (nanos.isEmpty() || nanos.getAsLong() <= 0) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 5m, 1m30s)");
      }
      return Duration.ofNanos(nanos.getAsLong());
    }
  }
}
