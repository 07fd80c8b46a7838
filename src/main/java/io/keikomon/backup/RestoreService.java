package io.keikomon.backup;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Component;
import io.keikomon.core.ConfirmationRequiredException;
import io.keikomon.core.Console;
import io.keikomon.core.Digests;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.KeikoException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import io.keikomon.stack.StackTeardown;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code keiko-mon restore FILE}: proves the archive whole and of this project before anything is touched, shows what
 * would change, takes a safety backup of the current state, restores part by part (config, then {@code up}, then
 * Prometheus, Alertmanager, Grafana) and, when a step fails, puts back what the safety backup holds.
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

  /** Where safety backups go, inside the project folder. */
  public static final String SAFETY_DIR = ".keiko-mon/safety";

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

  /** The config file writes restore plans: where, and whether something different is there now. */
  private record ConfigWrite(String archivePath, Path target, boolean exists, boolean differs) {
  }

  public Result restore(Path file, Options options) {
    ArchiveReader archive = new ArchiveReader(file);
    Manifest manifest = archive.verify();
    console.info("checked " + file + ": " + manifest.entries().size() + " entries match their checksums; project "
        + manifest.project() + ", taken " + manifest.createdAt() + ", parts " + String.join(", ", manifest.parts()));
    Set<Part> parts = parts(manifest, options);
    boolean configHere = Files.isRegularFile(ws.configFile());
    if (configHere) {
      String here = ConfigLoader.load(ws).config().project();
      if (!here.equals(manifest.project())) {
        throw new InvalidArchiveException(file + " is a backup of project " + manifest.project() + ", but this"
            + " folder's keiko.yml names project " + here + "; nothing was changed",
            "restore it in the folder of project " + manifest.project() + " or in an empty folder");
      }
    } else if (!parts.contains(Part.CONFIG)) {
      throw new OperationFailedException("this folder has no keiko.yml and --only leaves the config part out",
          "restore the config part too (leave --only out), or run restore in the project's folder");
    }
    boolean swarm = configHere ? ConfigLoader.load(ws).config().swarm()
        : manifest.prometheus() != null && manifest.prometheus().replica() != null;
    if (swarm && parts.contains(Part.PROMETHEUS)) {
      throw PrometheusPart.notInSwarm();
    }
    Path outputDir = ws.dir().resolve(manifest.output() == null ? "monitoring" : manifest.output());

    List<ConfigWrite> writes = parts.contains(Part.CONFIG) ? configWrites(archive, manifest, outputDir) : List.of();
    Optional<LiveStack> live = configHere ? liveStack(outputDir) : Optional.empty();
    List<String> changes = plan(manifest, parts, writes, live);
    if (options.dryRun()) {
      console.out("restore of " + file + " would (--dry-run, nothing changed):");
      changes.forEach(c -> console.out("  " + c));
      return new Result(manifest, changes, null, Map.of());
    }
    confirm(manifest, parts, writes, live, options);
    changes.forEach(c -> console.info("will " + c));

    Path safety = configHere ? safetyBackup(manifest, parts, options, live) : null;
    List<Part> started = new ArrayList<>();
    Map<String, String> silenceIds = new LinkedHashMap<>();
    List<Path> created = new ArrayList<>();
    List<String> createdSilences = new ArrayList<>();
    Part current = null;
    boolean stackStarted = false;
    try {
      if (parts.contains(Part.CONFIG)) {
        current = Part.CONFIG;
        started.add(Part.CONFIG);
        writeConfig(archive, manifest, writes, created);
      }
      if (parts.contains(Part.CONFIG) || parts.stream().anyMatch(p -> p != Part.CONFIG)) {
        console.info("starting the stack (keiko-mon up) ...");
        stackStarted = true;
        starter.up(ws);
      }
      LiveStack stack = parts.stream().anyMatch(p -> p != Part.CONFIG)
          ? new LiveStack(docker.get(), () -> findStack(outputDir)) : null;
      if (parts.contains(Part.PROMETHEUS)) {
        current = Part.PROMETHEUS;
        started.add(Part.PROMETHEUS);
        PrometheusPart.restore(stack, archive, manifest, options.readyTimeout(), console);
      }
      if (parts.contains(Part.ALERTMANAGER)) {
        current = Part.ALERTMANAGER;
        started.add(Part.ALERTMANAGER);
        AlertmanagerClient am = stack.alertmanager(stack.running(Component.ALERTMANAGER, "restoring silences"));
        waitReady(am::ready, "alertmanager", options.readyTimeout());
        Instant now = ws.clock().instant();
        AlertmanagerPart.Plan plan = AlertmanagerPart.plan(readSilences(archive, manifest), am.silences(), now);
        Map<String, String> ids = AlertmanagerPart.restore(am, plan, now);
        createdSilences.addAll(ids.values());
        silenceIds.putAll(ids);
        ids.forEach((from, to) -> console.out("silence " + from + " → " + to));
        plan.ended().forEach(s -> console.info("silence " + s.id() + " ended at " + s.endsAt() + ": not re-created"));
      }
      if (parts.contains(Part.GRAFANA)) {
        current = Part.GRAFANA;
        started.add(Part.GRAFANA);
        GrafanaClient grafana = stack.grafana(stack.running(Component.GRAFANA, "restoring Grafana"), outputDir);
        waitReady(() -> grafana.health() != null, "grafana", options.readyTimeout());
        GrafanaData data = readGrafana(archive, manifest);
        GrafanaPart.Plan plan = GrafanaPart.plan(grafana, data.folders(), data.dashboards());
        GrafanaPart.restore(grafana, plan);
        plan.provisioned().forEach(d -> console.out("dashboard " + d.uid() + " is provisioned: it comes back from its"
            + " file, not posted"));
        console.out("grafana: " + plan.createFolders().size() + " folders created, " + plan.add().size()
            + " dashboards added, " + plan.overwrite().size() + " overwritten");
      }
    } catch (RuntimeException e) {
      Part failedAt = current;
      console.warn("restore failed" + (failedAt == null ? "" : " at " + failedAt.id()) + ": " + e.getMessage());
      String rolledBack = rollBack(started, stackStarted, safety, created, createdSilences, outputDir, options);
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
      safetyBackupsNote(safety.getParent());
    }
    return new Result(manifest, changes, safety, silenceIds);
  }

  /** Safety backups are never removed by keiko-mon (they are the user's way back), so it says what they add up to. */
  private void safetyBackupsNote(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).toList();
      long bytes = 0;
      for (Path f : all) {
        bytes += Files.size(f);
      }
      if (all.size() > 1) {
        console.info(all.size() + " safety backups (" + (bytes >> 20) + " MiB" + ") are kept in "
            + rel(dir) + "; delete the ones you no longer need");
      }
    } catch (IOException e) {
      // only a note: the restore itself is done
    }
  }

  private Set<Part> parts(Manifest manifest, Options options) {
    Set<Part> inArchive = EnumSet.noneOf(Part.class);
    manifest.parts().forEach(id -> Part.of(id).ifPresent(inArchive::add));
    if (options.parts().isEmpty()) {
      return inArchive;
    }
    for (Part p : options.parts()) {
      if (!inArchive.contains(p)) {
        throw new OperationFailedException("the archive holds no " + p.id() + " part (it has "
            + String.join(", ", manifest.parts()) + "); nothing was changed", "leave " + p.id() + " out of --only");
      }
    }
    return EnumSet.copyOf(options.parts());
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

  private List<ConfigWrite> configWrites(ArchiveReader archive, Manifest manifest, Path outputDir) {
    List<ConfigWrite> writes = new ArrayList<>();
    for (Manifest.Entry e : manifest.entries()) {
      if (!e.path().startsWith(Part.CONFIG.folder())) {
        continue;
      }
      Path target = ConfigPart.target(ws, outputDir, e.path());
      boolean exists = Files.isRegularFile(target);
      writes.add(new ConfigWrite(e.path(), target, exists, exists && !e.sha256().equals(sha256(target))));
    }
    return writes;
  }

  private List<String> plan(Manifest m, Set<Part> parts, List<ConfigWrite> writes, Optional<LiveStack> live) {
    List<String> changes = new ArrayList<>();
    if (parts.contains(Part.CONFIG)) {
      for (ConfigWrite w : writes) {
        if (!w.exists()) {
          changes.add("add " + rel(w.target()));
        } else if (w.differs()) {
          changes.add("overwrite " + rel(w.target()) + " (it differs from the backup)");
        }
      }
      changes.add("run `keiko-mon up`");
    }
    if (parts.contains(Part.PROMETHEUS) && m.prometheus() != null) {
      Manifest.PrometheusSummary p = m.prometheus();
      changes.add("replace Prometheus' data with the snapshot: " + p.blocks().size() + " blocks, " + p.numSeries()
          + " series, " + Instant.ofEpochMilli(p.minTime()) + " .. " + Instant.ofEpochMilli(p.maxTime())
          + "; anything written after " + m.createdAt() + " is lost");
    }
    if (parts.contains(Part.ALERTMANAGER) && m.alertmanager() != null) {
      Instant now = ws.clock().instant();
      long running = m.alertmanager().silences().stream().filter(s -> Instant.parse(s.endsAt()).isAfter(now)).count();
      changes.add("re-create the silences that have not ended: " + running + " of "
          + m.alertmanager().silences().size() + " (existing identical ones are kept)");
    }
    if (parts.contains(Part.GRAFANA) && m.grafana() != null) {
      long provisioned = m.grafana().dashboards().stream().filter(Manifest.DashboardRef::provisioned).count();
      Optional<List<String>> existing = live.flatMap(s -> s.container(Component.GRAFANA))
          .filter(c -> c.state().running()).map(c -> {
            try {
              return live.get().grafana(c, ws.dir().resolve(m.output())).allDashboards().stream()
                  .map(h -> h.uid()).toList();
            } catch (RuntimeException e) {
              return null;
            }
          });
      for (Manifest.DashboardRef d : m.grafana().dashboards()) {
        if (!d.provisioned()) {
          boolean there = existing.map(l -> l.contains(d.uid())).orElse(false);
          changes.add((there ? "overwrite" : "add") + " dashboard " + d.uid() + " \"" + d.title() + "\"");
        }
      }
      changes.add("create missing Grafana folders of " + m.grafana().folders().size() + "; " + provisioned
          + " provisioned dashboards come back from their files");
    }
    return changes;
  }

  private void confirm(Manifest m, Set<Part> parts, List<ConfigWrite> writes, Optional<LiveStack> live,
      Options options) {
    if (options.yes()) {
      return;
    }
    List<String> losses = new ArrayList<>();
    if (parts.contains(Part.PROMETHEUS) && live.flatMap(s -> s.container(Component.PROMETHEUS)).isPresent()) {
      losses.add("Prometheus' current data is replaced by the snapshot of " + m.createdAt()
          + ": everything written after it is gone");
    }
    List<String> changed = writes.stream().filter(ConfigWrite::differs).map(w -> rel(w.target())).toList();
    if (!changed.isEmpty()) {
      losses.add("these files differ from the backup and are overwritten: " + String.join(", ", changed));
    }
    if (!losses.isEmpty()) {
      throw new ConfirmationRequiredException("restore would change what cannot be undone without the safety"
          + " backup:\n  - " + String.join("\n  - ", losses) + "\nnothing was changed",
          "see everything with `keiko-mon restore FILE --dry-run`; confirm with --yes");
    }
  }

  private Path safetyBackup(Manifest m, Set<Part> parts, Options options, Optional<LiveStack> live) {
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
    Path dir = ws.dir().resolve(SAFETY_DIR);
    Path file = dir.resolve(BackupService.fileName(m.project(), ws.clock().instant()));
    console.info("safety backup of the current state (" + String.join(", ", save.stream().map(Part::id).toList())
        + ") to " + rel(file) + " ...");
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
    new BackupService(ws, quiet, docker, runtime).toFile(new BackupService.Options(save, true,
        options.keikoMonVersion()), file);
    return file;
  }

  private void writeConfig(ArchiveReader archive, Manifest manifest, List<ConfigWrite> writes, List<Path> created) {
    Map<String, ConfigWrite> byPath = new LinkedHashMap<>();
    writes.forEach(w -> byPath.put(w.archivePath(), w));
    archive.extract(manifest, List.of(Part.CONFIG.folder()), (e, content) -> {
      ConfigWrite w = byPath.get(e.name());
      if (w == null) {
        return;
      }
      if (e.size() > 64L << 20) {
        throw new IOException(e.name() + " is " + e.size() + " bytes, more than a config file can be");
      }
      byte[] bytes = content.readAllBytes();
      if (!w.exists()) {
        created.add(w.target());
      }
      try {
        AtomicFiles.write(w.target(), bytes, (e.mode() & 077) == 0 ? AtomicFiles.PRIVATE : AtomicFiles.READABLE);
      } catch (IOException ex) {
        throw FileAccessException.of("write", w.target(), ex);
      }
    });
    console.info("config: " + writes.size() + " files restored");
  }

  /** Puts back what the safety backup holds for the parts that were started; says what it did. */
  private String rollBack(List<Part> started, boolean stackStarted, Path safety, List<Path> created,
      List<String> createdSilences, Path outputDir, Options options) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      if (safety == null) {
        // the folder was empty: take down what this restore started (volumes stay: they may predate it)
        if (stackStarted && runtime != null) {
          StackTeardown.Result down = runtime.get().down(findStack(outputDir), false, console::info);
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
        List<ConfigWrite> writes = configWrites(archive, before, outputDir);
        writeConfig(archive, before, writes, new ArrayList<>());
        starter.up(ws);
        done.add("config put back and the stack brought up with it");
      }
      LiveStack stack = new LiveStack(docker.get(), () -> findStack(outputDir));
      if (started.contains(Part.PROMETHEUS) && before.has(Part.PROMETHEUS)) {
        PrometheusPart.restore(stack, archive, before, options.readyTimeout(), console);
        done.add("Prometheus' data put back");
      }
      if (started.contains(Part.ALERTMANAGER) && !createdSilences.isEmpty()) {
        AlertmanagerClient am = stack.alertmanager(stack.running(Component.ALERTMANAGER, "rolling back silences"));
        createdSilences.forEach(am::expireSilence);
        done.add("the " + createdSilences.size() + " silences it created expired");
      }
      if (started.contains(Part.GRAFANA) && before.has(Part.GRAFANA)) {
        GrafanaClient grafana = stack.grafana(stack.running(Component.GRAFANA, "rolling back Grafana"), outputDir);
        GrafanaData data = readGrafana(archive, before);
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

  private static List<AlertmanagerPart.Saved> readSilences(ArchiveReader archive, Manifest m) {
    List<List<AlertmanagerPart.Saved>> out = new ArrayList<>();
    archive.extract(m, List.of(AlertmanagerPart.FILE), (e, content) -> out.add(AlertmanagerPart.read(
        content.readAllBytes())));
    return out.isEmpty() ? List.of() : out.get(0);
  }

  record GrafanaData(List<Manifest.FolderRef> folders, List<Dashboard> dashboards) {
  }

  static GrafanaData readGrafana(ArchiveReader archive, Manifest m) {
    List<Manifest.FolderRef> folders = new ArrayList<>();
    List<Dashboard> dashboards = new ArrayList<>();
    archive.extract(m, List.of(Part.GRAFANA.folder()), (e, content) -> {
      if (e.name().equals(GrafanaPart.FOLDERS)) {
        folders.addAll(GrafanaPart.readFolders(content.readAllBytes()));
      } else if (e.name().startsWith(GrafanaPart.DASHBOARDS)) {
        dashboards.add(GrafanaPart.readDashboard(content.readAllBytes()));
      }
    });
    return new GrafanaData(folders, dashboards);
  }

  private static void waitReady(Supplier<Boolean> ready, String what, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (Instant.now().isBefore(until)) {
      try {
        if (ready.get()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new OperationFailedException(what + " did not answer within " + timeout.toSeconds() + " s"
        + (last == null ? "" : ": " + last.getMessage()), "`keiko-mon logs " + what + "` shows why");
  }

  private static String sha256(Path file) {
    MessageDigest sha = Digests.sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw FileAccessException.of("read", file, e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private String rel(Path p) {
    Path base = ws.dir().toAbsolutePath().normalize();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }
}
