package io.keikomon.backup;

import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.StackRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The state before a restore, backed up into the project folder first: what a failed restore is rolled back from,
 * and the user's way back from a finished one. keiko-mon never removes these.
 */
final class SafetyBackup {
  /** Where safety backups go, inside the project folder. */
  static final String DIR = ".keiko-mon/safety";

  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Supplier<StackRuntime> runtime;

  SafetyBackup(Workspace ws, Console console, Supplier<DockerGateway> docker, Supplier<StackRuntime> runtime) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.runtime = runtime;
  }

  /** Backs up {@code parts} as they are now (a part whose container is not running is left out); returns the file. */
  Path take(Manifest m, Set<Part> parts, String keikoMonVersion, Optional<LiveStack> live) {
    Set<Part> save = EnumSet.noneOf(Part.class);
    for (Part p : parts) {
      Component c = switch (p) {
        case CONFIG -> null;
        case PROMETHEUS -> Component.PROMETHEUS;
        case ALERTMANAGER -> Component.ALERTMANAGER;
        case GRAFANA -> Component.GRAFANA;
      };
      if (c == null || live.flatMap(s -> s.container(c)).map(d -> d.state().running()).orElse(false)) {
        save.add(p);
      } else {
        console.warn(p.id() + " is not running, so the safety backup leaves it out");
      }
    }
    Path dir = ws.dir().resolve(DIR);
    Path file = dir.resolve(BackupService.fileName(m.project(), ws.clock().instant()));
    console.info("safety backup of the current state (" + String.join(", ", save.stream().map(Part::id).toList())
        + ") to " + RestorePlan.rel(ws, file) + " ...");
    Console quiet = new Console() {
      @Override
      public void out(String line) {
        console.info("  " + line);
      }

      @Override
      public void info(String line) {
      }

      @Override
      public void warn(String line) {
        console.warn(line);
      }
    };
    new BackupService(ws, quiet, docker, runtime).toFile(new BackupService.Options(save, true, keikoMonVersion), file);
    return file;
  }

  /** Safety backups are never removed by keiko-mon (they are the user's way back), so it says what they add up to. */
  void noteKept(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).toList();
      long bytes = 0;
      for (Path f : all) {
        bytes += Files.size(f);
      }
      if (all.size() > 1) {
        console.info(all.size() + " safety backups (" + (bytes >> 20) + " MiB" + ") are kept in "
            + RestorePlan.rel(ws, dir) + "; delete the ones you no longer need");
      }
    } catch (IOException e) {
      // only a note: the restore itself is done
    }
  }
}
