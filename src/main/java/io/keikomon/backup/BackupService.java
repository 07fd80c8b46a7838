package io.keikomon.backup;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Console;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code keiko-mon backup}: one .tar.gz of the project at one point in time (see {@link Part} for what each part
 * holds), to a new file, to a folder keeping the newest N, or streamed to any output stream (stdout).
 */
public final class BackupService {
  /** {@code <project>-20261201T224500Z.tar.gz}: sorts by time, never collides within a second. */
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /**
   * @param parts what to back up; empty means every part the project has (grafana/alertmanager only when enabled)
   * @param includeSecrets .env and the secrets folder too; the archive is then 0600
   */
  public record Options(Set<Part> parts, boolean includeSecrets, String keikoMonVersion) {
    public Options {
      parts = parts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(parts));
    }
  }

  /** @param file null when streamed */
  public record Result(Manifest manifest, Path file, long archiveBytes, long contentBytes, Duration took,
      List<Path> pruned) {
    public Result {
      pruned = List.copyOf(pruned);
    }
  }

  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Supplier<StackRuntime> runtime;

  public BackupService(Workspace ws, Console console, Supplier<DockerGateway> docker, Supplier<StackRuntime> runtime) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.runtime = runtime;
  }

  /** The file name a backup of {@code project} taken at {@code at} gets. */
  public static String fileName(String project, Instant at) {
    return project + "-" + STAMP.format(at) + ".tar.gz";
  }

  /** Writes a new file; an existing one is never overwritten. */
  public Result toFile(Options options, Path file) {
    if (Files.exists(file)) {
      throw new OperationFailedException(file + " already exists; a backup never overwrites a file",
          "give another --out, or leave --out out for a new name with the current time");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + file.getFileName() + ".partial-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(dir);
      Result r;
      try (OutputStream out = create(temp, options.includeSecrets())) {
        r = write(options, out, file);
      }
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (FileAlreadyExistsException e) {
      throw new OperationFailedException(file + " appeared while the backup was written; it was left as it is",
          "give another --out");
    } catch (IOException e) {
      throw FileAccessException.of(e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: the partial file has a name no backup gets
      }
    }
  }

  /** A new file in {@code dir}, named by project and time; then only the newest {@code keep} backups stay there. */
  public Result toDir(Options options, Path dir, int keep) {
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    Result r = toFile(options, dir.resolve(fileName(cfg.project(), ws.clock().instant())));
    List<Path> pruned = keep > 0 ? Retention.prune(dir, cfg.project(), keep) : List.of();
    pruned.forEach(p -> console.info("removed old backup " + p));
    return new Result(r.manifest(), r.file(), r.archiveBytes(), r.contentBytes(), r.took(), pruned);
  }

  /** Streams the archive to {@code out} (not closed). */
  public Result toStream(Options options, OutputStream out) {
    try {
      return write(options, out, null);
    } catch (IOException e) {
      throw new OperationFailedException("could not write the backup to the output stream: " + e.getMessage(),
          "check the command the output is piped into");
    }
  }

  private static OutputStream create(Path temp, boolean secret) throws IOException {
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    AtomicFiles.setPermissions(temp, secret ? AtomicFiles.PRIVATE : AtomicFiles.READABLE);
    return new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
  }

  private Result write(Options options, OutputStream out, Path file) throws IOException {
    long t0 = System.nanoTime();
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    Path outputDir = ws.dir().resolve(cfg.output());
    Set<Part> parts = options.parts().isEmpty() ? available(cfg) : options.parts();
    for (Part p : parts) {
      if (!available(cfg).contains(p)) {
        throw new OperationFailedException("part " + p.id() + " is not in this stack (keiko.yml components:)",
            "leave it out of --only");
      }
    }
    Instant created = ws.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    Supplier<Stack> stack = () -> runtime.get().find(cfg.project(), outputDir, outputDir.resolve(RenderPlan.stackFile(cfg)));
    LiveStack access = parts.stream().anyMatch(p -> p != Part.CONFIG) ? new LiveStack(docker.get(), stack) : null;
    Manifest.PrometheusSummary prometheus = null;
    Manifest.GrafanaSummary grafana = null;
    Manifest.AlertmanagerSummary alertmanager = null;
    try (ArchiveWriter archive = new ArchiveWriter(out, created.getEpochSecond())) {
      for (Part part : List.of(Part.CONFIG, Part.PROMETHEUS, Part.ALERTMANAGER, Part.GRAFANA)) {
        if (!parts.contains(part)) {
          continue;
        }
        long before = archive.contentBytes();
        int entriesBefore = archive.entries().size();
        console.info(part.id() + ": backing up ...");
        String detail = switch (part) {
          case CONFIG -> {
            ConfigPart.backup(ws, outputDir, options.includeSecrets(), archive);
            yield (archive.entries().size() - entriesBefore) + " files"
                + (options.includeSecrets() ? " (secrets included)" : " (no .env, no secrets)");
          }
          case PROMETHEUS -> {
            prometheus = PrometheusPart.backup(access, archive, console);
            yield (prometheus.replica() == null ? "" : "replica " + prometheus.replica() + ", ")
                + "snapshot " + prometheus.snapshot() + ", " + prometheus.blocks().size() + " blocks, "
                + prometheus.numSeries() + " series, " + prometheus.numSamples() + " samples";
          }
          case ALERTMANAGER -> {
            alertmanager = AlertmanagerPart.backup(access, archive);
            yield alertmanager.silences().size() + " silences kept, " + alertmanager.expiredSkipped()
                + " expired left out";
          }
          case GRAFANA -> {
            grafana = GrafanaPart.backup(access, outputDir, archive);
            yield grafana.folders().size() + " folders, " + grafana.dashboards().size() + " dashboards";
          }
        };
        console.info(part.id() + ": " + detail + ", " + size(archive.contentBytes() - before));
      }
      Manifest.PrometheusSummary p = prometheus;
      Manifest.GrafanaSummary g = grafana;
      Manifest.AlertmanagerSummary a = alertmanager;
      List<String> ids = new ArrayList<>();
      for (Part part : Part.values()) {
        if (parts.contains(part)) {
          ids.add(part.id());
        }
      }
      Manifest m = archive.finish(entries -> new Manifest(Manifest.FORMAT_VERSION, options.keikoMonVersion(),
          cfg.project(), created.toString(), options.includeSecrets(), ids, images(cfg), cfg.output(), entries, p, g,
          a));
      archive.close();
      out.flush();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      String where = file == null ? "the output stream" : file.toString();
      String summary = "backup of " + cfg.project() + " (" + String.join(", ", ids) + "): " + m.entries().size()
          + " entries, " + size(archive.contentBytes()) + " → " + size(archive.archiveBytes()) + " compressed, in "
          + seconds(took) + ", written to " + where;
      if (file == null) {
        console.info(summary);
      } else {
        console.out(summary);
      }
      return new Result(m, file, archive.archiveBytes(), archive.contentBytes(), took, List.of());
    }
  }

  /** The parts a project has: config and prometheus always, the others when keiko.yml enables them. */
  static Set<Part> available(KeikoConfig cfg) {
    Set<Part> parts = EnumSet.of(Part.CONFIG, Part.PROMETHEUS);
    if (cfg.components().grafana()) {
      parts.add(Part.GRAFANA);
    }
    if (cfg.components().alertmanager()) {
      parts.add(Part.ALERTMANAGER);
    }
    return parts;
  }

  static Map<String, String> images(KeikoConfig cfg) {
    Map<String, String> images = new LinkedHashMap<>();
    try {
      for (RecordComponent c : KeikoConfig.Images.class.getRecordComponents()) {
        Object v = c.getAccessor().invoke(cfg.images());
        if (v != null) {
          images.put(c.getName(), v.toString());
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return images;
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
