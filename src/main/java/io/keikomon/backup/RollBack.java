package io.keikomon.backup;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.GrafanaClient;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import io.keikomon.stack.StackTeardown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a restore has changed so far, and how to put it back when a later step fails: from the safety backup, or,
 * in a folder that had nothing to save, by taking down and removing what the restore started and wrote.
 */
final class RollBack {
  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Supplier<StackRuntime> runtime;
  private final RestoreService.StackStarter starter;
  private final Supplier<Stack> stack;
  private final Path outputDir;
  private final Path safety;
  private final Duration readyTimeout;
  private final List<Part> started = new ArrayList<>();
  private final List<Path> created = new ArrayList<>();
  private final List<String> createdSilences = new ArrayList<>();
  private boolean stackStarted;

  /** @param safety null when there was nothing to save */
  RollBack(Workspace ws, Console console, Supplier<DockerGateway> docker, Supplier<StackRuntime> runtime,
      RestoreService.StackStarter starter, Supplier<Stack> stack, Path outputDir, Path safety, Duration readyTimeout) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.runtime = runtime;
    this.starter = starter;
    this.stack = stack;
    this.outputDir = outputDir;
    this.safety = safety;
    this.readyTimeout = readyTimeout;
  }

  void started(Part p) {
    started.add(p);
  }

  void stackStarted() {
    stackStarted = true;
  }

  /** The files the restore created (it adds to this list as it writes them). */
  List<Path> createdFiles() {
    return created;
  }

  void silencesCreated(Collection<String> ids) {
    createdSilences.addAll(ids);
  }

  /** Puts back what the safety backup holds for the parts that were started; says what it did. */
  String run() {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      if (safety == null) {
        // the folder was empty: take down what this restore started (volumes stay: they may predate it)
        if (stackStarted && runtime != null) {
          StackTeardown.Result down = runtime.get().down(stack.get(), false, console::info);
          if (!down.containers().isEmpty()) {
            done.add("removed the " + down.containers().size() + " containers it had started (volumes kept: "
                + String.join(", ", down.keptVolumes()) + ")");
          }
        }
        if (started.contains(Part.CONFIG)) {
          for (Path p : created) {
            Files.deleteIfExists(p);
          }
          done.add("removed the " + created.size() + " files it had written");
        }
        return done.isEmpty() ? "nothing had been changed" : String.join("; ", done);
      }
      for (Path p : created) {
        Files.deleteIfExists(p);
      }
      ArchiveReader archive = new ArchiveReader(safety);
      Manifest before = archive.verify();
      if (started.contains(Part.CONFIG)) {
        ConfigPart.restore(archive, before, ConfigPart.writes(ws, before, outputDir), new ArrayList<>(), console);
        starter.up(ws);
        done.add("config put back and the stack brought up with it");
      }
      LiveStack live = new LiveStack(docker.get(), stack);
      if (started.contains(Part.PROMETHEUS) && before.has(Part.PROMETHEUS)) {
        PrometheusPart.restore(live, archive, before, readyTimeout, console);
        done.add("Prometheus' data put back");
      }
      if (started.contains(Part.ALERTMANAGER) && !createdSilences.isEmpty()) {
        AlertmanagerClient am = live.alertmanager(live.running(Component.ALERTMANAGER, "rolling back silences"));
        createdSilences.forEach(am::expireSilence);
        done.add("the " + createdSilences.size() + " silences it created expired");
      }
      if (started.contains(Part.GRAFANA) && before.has(Part.GRAFANA)) {
        GrafanaClient grafana = live.grafana(live.running(Component.GRAFANA, "rolling back Grafana"), outputDir);
        GrafanaPart.Saved data = GrafanaPart.saved(archive, before);
        GrafanaPart.restore(grafana, GrafanaPart.plan(grafana, data.folders(), data.dashboards()));
        done.add("Grafana's dashboards put back as they were");
      }
    } catch (RuntimeException | IOException e) {
      failed.add(e.getMessage());
    }
    String what = done.isEmpty() ? "" : "rolled back: " + String.join("; ", done);
    if (!failed.isEmpty()) {
      return what + (what.isEmpty() ? "" : "; ") + "the roll-back failed too (" + String.join("; ", failed)
          + "); the state before the restore is in " + safety;
    }
    return what.isEmpty() ? "nothing had been changed" : what + " (from the safety backup " + safety + ")";
  }
}
