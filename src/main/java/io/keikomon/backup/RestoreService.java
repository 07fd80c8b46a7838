package io.keikomon.backup;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Console;
import io.keikomon.core.KeikoException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code keiko-mon restore FILE}: proves the archive whole and of this project before anything is touched
 * ({@link RestoreScope}), shows what would change ({@link RestorePlan}), takes a {@link SafetyBackup} of the current
 * state, restores part by part (config, then {@code up}, then Prometheus, Alertmanager, Grafana) and, when a step
 * fails, puts back what the safety backup holds ({@link RollBack}).
 */
public final class RestoreService {
  /** Brings the project's stack up as {@code keiko-mon up} does (the cli passes UpService). */
  @FunctionalInterface
  public interface StackStarter {
    void up(Workspace ws);
  }

  /**
   * @param parts what to restore; empty means everything the archive holds
   * @param yes restore even when data written since the backup or changed files would be lost
   */
  public record Options(Set<Part> parts, boolean dryRun, boolean yes, String keikoMonVersion, Duration readyTimeout) {
    public Options {
      parts = Set.copyOf(parts);
    }
  }

  /** @param safetyBackup null when there was nothing to save (a fresh folder, or a dry run) */
  public record Result(Manifest manifest, List<String> changes, Path safetyBackup, Map<String, String> silenceIds) {
    public Result {
      changes = List.copyOf(changes);
      silenceIds = Map.copyOf(silenceIds);
    }
  }

  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Supplier<StackRuntime> runtime;
  private final StackStarter starter;

  public RestoreService(Workspace ws, Console console, Supplier<DockerGateway> docker, Supplier<StackRuntime> runtime,
      StackStarter starter) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.runtime = runtime;
    this.starter = starter;
  }

  public Result restore(Path file, Options options) {
    RestoreScope scope = RestoreScope.check(ws, console, file, options.parts());
    ArchiveReader archive = scope.archive();
    Manifest manifest = scope.manifest();
    Set<Part> parts = scope.parts();
    Path outputDir = scope.outputDir();

    List<ConfigPart.Write> writes = parts.contains(Part.CONFIG) ? ConfigPart.writes(ws, manifest, outputDir)
        : List.of();
    Optional<LiveStack> live = scope.configHere() ? liveStack(outputDir) : Optional.empty();
    RestorePlan plan = new RestorePlan(ws, manifest, parts, writes, live);
    List<String> changes = plan.changes();
    if (options.dryRun()) {
      console.out("restore of " + file + " would (--dry-run, nothing changed):");
      changes.forEach(c -> console.out("  " + c));
      return new Result(manifest, changes, null, Map.of());
    }
    plan.confirm(options.yes());
    changes.forEach(c -> console.info("will " + c));

    SafetyBackup safetyBackup = new SafetyBackup(ws, console, docker, runtime);
    Path safety = scope.configHere() ? safetyBackup.take(manifest, parts, options.keikoMonVersion(), live) : null;
    RollBack rollBack = new RollBack(ws, console, docker, runtime, starter, () -> findStack(outputDir), outputDir,
        safety, options.readyTimeout());
    Map<String, String> silenceIds = new LinkedHashMap<>();
    Part current = null;
    try {
      if (parts.contains(Part.CONFIG)) {
        current = Part.CONFIG;
        rollBack.started(Part.CONFIG);
        ConfigPart.restore(archive, manifest, writes, rollBack.createdFiles(), console);
      }
      if (parts.contains(Part.CONFIG) || parts.stream().anyMatch(p -> p != Part.CONFIG)) {
        console.info("starting the stack (keiko-mon up) ...");
        rollBack.stackStarted();
        starter.up(ws);
      }
      LiveStack stack = parts.stream().anyMatch(p -> p != Part.CONFIG)
          ? new LiveStack(docker.get(), () -> findStack(outputDir)) : null;
      if (parts.contains(Part.PROMETHEUS)) {
        current = Part.PROMETHEUS;
        rollBack.started(Part.PROMETHEUS);
        PrometheusPart.restore(stack, archive, manifest, options.readyTimeout(), console);
      }
      if (parts.contains(Part.ALERTMANAGER)) {
        current = Part.ALERTMANAGER;
        rollBack.started(Part.ALERTMANAGER);
        Map<String, String> ids = AlertmanagerPart.restore(stack, archive, manifest, ws.clock(),
            options.readyTimeout(), console);
        rollBack.silencesCreated(ids.values());
        silenceIds.putAll(ids);
      }
      if (parts.contains(Part.GRAFANA)) {
        current = Part.GRAFANA;
        rollBack.started(Part.GRAFANA);
        GrafanaPart.restore(stack, archive, manifest, outputDir, options.readyTimeout(), console);
      }
    } catch (RuntimeException e) {
      Part failedAt = current;
      console.warn("restore failed" + (failedAt == null ? "" : " at " + failedAt.id()) + ": " + e.getMessage());
      String rolledBack = rollBack.run();
      throw new OperationFailedException("restore failed" + (failedAt == null ? "" : " at " + failedAt.id()) + ": "
          + e.getMessage() + "; " + rolledBack,
          e instanceof KeikoException k && k.hint() != null ? k.hint() : "fix the cause and run restore again", e);
    }
    console.out("restored " + String.join(", ", parts.stream().map(Part::id).toList()) + " of project "
        + manifest.project() + " from " + file + (safety == null ? "" : " (the state before is in " + safety + ")"));
    if (parts.contains(Part.PROMETHEUS)) {
      console.out("prometheus holds the data up to " + manifest.createdAt() + "; what was written after it is gone");
    }
    if (safety != null) {
      safetyBackup.noteKept(safety.getParent());
    }
    return new Result(manifest, changes, safety, silenceIds);
  }

  private Stack findStack(Path outputDir) {
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    return runtime.get().find(cfg.project(), outputDir, outputDir.resolve(RenderPlan.COMPOSE_FILE));
  }

  /** The stack as it runs now, when it has any container. */
  private Optional<LiveStack> liveStack(Path outputDir) {
    LiveStack access = new LiveStack(docker.get(), () -> findStack(outputDir));
    return access.stack().containers().isEmpty() ? Optional.empty() : Optional.of(access);
  }
}
