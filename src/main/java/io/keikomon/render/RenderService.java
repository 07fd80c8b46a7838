package io.keikomon.render;

import io.keikomon.core.Async;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.LoadedConfig;
import io.keikomon.config.Passwords;
import io.keikomon.config.Problem;
import io.keikomon.config.Secrets;
import io.keikomon.config.SecretsResolver;
import io.keikomon.config.TextFile;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Console;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.IoErrors;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.render.FileChange.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the rendered tree into the output folder without ever losing a user's edit: every write is atomic,
 * the ledger records what was written, and a file edited since then stops the render (before anything is
 * written) unless {@code force} is set, in which case a backup copy is kept.
 */
public final class RenderService {
  /**
   * {@code dryRun}: write nothing, print a diff. {@code force}: overwrite edited files, keeping a backup.
   * {@code onlyWhenDifferent}: write nothing when the tree is exactly what was rendered last ({@code up} after a
   * keiko.yml change that changes no file, so files edited by hand since are honoured, not reported).
   */
  public record Options(boolean dryRun, boolean force, boolean onlyWhenDifferent) {
    public Options(boolean dryRun, boolean force) {
      this(dryRun, force, false);
    }
  }

  private final Workspace ws;
  private final Console console;

  public RenderService(Workspace ws, Console console) {
    this.ws = ws;
    this.console = console;
  }

  /** Loads keiko.yml and the secrets of the workspace, then renders. */
  public RenderSummary render(Options options) {
    // Starting FreeMarker takes about as long as reading keiko.yml: do both at once.
    CompletableFuture<TemplateEngine> engine =
        CompletableFuture.supplyAsync(() -> new TemplateEngine(ws.templateOverrides()));
    LoadedConfig loaded = ConfigLoader.load(ws);
    for (Problem warning : loaded.warnings()) {
      console.warn(warning.render());
    }
    return render(loaded.config(), SecretsResolver.resolve(ws), options, engine);
  }

  public RenderSummary render(KeikoConfig cfg, Secrets secrets, Options options) {
    return render(cfg, secrets, options, CompletableFuture.completedFuture(new TemplateEngine(ws.templateOverrides())));
  }

  private RenderSummary render(KeikoConfig cfg, Secrets secrets, Options options, CompletableFuture<TemplateEngine> engine) {
    Path out = outputDir(cfg);
    try {
      Secrets resolved = withGrafanaPassword(cfg, secrets, out, options.dryRun());
      SecurityPreparation.Prepared security = SecurityPreparation.plan(ws, cfg, out, !options.dryRun());
      RenderedTree tree = Renderer.render(Async.join(engine), cfg, resolved, security.material());
      Ledger ledger = Ledger.read(out);
      if (options.onlyWhenDifferent() && !options.dryRun() && ledger.describes(tree)) {
        return new RenderSummary(out, false, List.of(), List.of(), tree);
      }
      List<FileChange> changes = plan(out, tree, ledger);
      if (options.dryRun()) {
        return dryRun(out, changes, tree);
      }
      List<FileChange> edited = changes.stream().filter(c -> c.kind() == Kind.EDITED).toList();
      if (!edited.isEmpty() && !options.force()) {
        throw editedFiles(out, edited);
      }
      RenderSummary summary = apply(cfg, out, changes, ledger, tree);
      // after the tree: a render that fails (a full disk) leaves no CA or .env change behind; a password lost here
      // is found again in the rendered secret file by the next render
      security.commit(console);
      return summary;
    } catch (IOException e) {
      throw FileAccessException.of("write", out, e);
    }
  }

  public Path outputDir(KeikoConfig cfg) {
    return ws.dir().resolve(cfg.output()).normalize();
  }

  private Secrets withGrafanaPassword(KeikoConfig cfg, Secrets secrets, Path out, boolean dryRun) throws IOException {
    if (!cfg.components().grafana() || secrets.grafanaAdminPassword().filter(p -> !p.isBlank()).isPresent()) {
      return secrets;
    }
    Optional<String> previous = GrafanaPassword.previous(out);
    String password = previous.orElseGet(() -> Passwords.generate());
    if (dryRun) {
      console.info("GRAFANA_ADMIN_PASSWORD is not set: render would " + (previous.isPresent()
          ? "keep the password already in " : "generate one into ") + rel(out) + "/secrets/"
          + SecretFile.GRAFANA_ADMIN_PASSWORD + " and save it to .env");
    } else {
      GrafanaPassword.saveToEnvFile(ws.envFile(), password);
      console.info((previous.isPresent() ? "kept the Grafana admin password from " : "generated a Grafana admin password: ")
          + rel(out) + "/secrets/" + SecretFile.GRAFANA_ADMIN_PASSWORD + " (user admin); saved as "
          + Secrets.GRAFANA_ADMIN_PASSWORD + " in " + rel(ws.envFile()));
    }
    return GrafanaPassword.with(secrets, password);
  }

  /** Decides what happens to every rendered file and every file the ledger knows. */
  private static List<FileChange> plan(Path out, RenderedTree tree, Ledger ledger) throws IOException {
    List<FileChange> changes = new ArrayList<>();
    for (Map.Entry<String, String> file : tree.files().entrySet()) {
      String path = file.getKey();
      String after = file.getValue();
      String before = readIfExists(out.resolve(path));
      Kind kind;
      if (before == null) {
        kind = Kind.CREATE;
      } else if (before.equals(after)) {
        kind = Kind.UNCHANGED;
      } else if (Ledger.sha256(before).equals(ledger.files().get(path))) {
        kind = Kind.UPDATE;
      } else {
        kind = Kind.EDITED;
      }
      changes.add(new FileChange(path, kind, before, after));
    }
    for (Map.Entry<String, String> known : ledger.files().entrySet()) {
      String path = known.getKey();
      if (tree.contains(path)) {
        continue;
      }
      String before = readIfExists(out.resolve(path));
      if (before != null) {
        Kind kind = Ledger.sha256(before).equals(known.getValue()) ? Kind.REMOVE : Kind.KEEP_EDITED;
        changes.add(new FileChange(path, kind, before, null));
      }
    }
    return changes;
  }

  private RenderSummary dryRun(Path out, List<FileChange> changes, RenderedTree tree) {
    for (FileChange c : changes) {
      if (c.kind() == Kind.UNCHANGED || c.kind() == Kind.KEEP_EDITED) {
        continue;
      }
      if (RenderedTree.isSecret(c.path())) {
        console.out("secret " + c.path() + ": would be " + verb(c.kind()) + " (content not shown)");
      } else {
        String diff = UnifiedDiff.of("a/" + c.path(), "b/" + c.path(), c.before(), c.after());
        diff.lines().forEach(console::out);
      }
      if (c.kind() == Kind.EDITED) {
        console.warn(c.path() + " was edited by hand: render would stop here (--force overwrites it, keeping a backup)");
      }
    }
    RenderSummary summary = new RenderSummary(out, true, changes, List.of(), tree);
    console.info("dry run, nothing written: " + rel(out) + "/ would get " + counts(summary));
    return summary;
  }

  private RenderSummary apply(KeikoConfig cfg, Path out, List<FileChange> changes, Ledger ledger, RenderedTree tree)
      throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      // Said up front: the staging copy would otherwise fail first, naming a path the user never chose.
      throw new java.nio.file.FileAlreadyExistsException(out.toString());
    }
    Path staging = stage(out, changes);
    Map<String, String> written = new TreeMap<>(ledger.files());
    List<Path> backups = new ArrayList<>();
    try {
      Files.createDirectories(out);
      Path secrets = out.resolve(RenderedTree.SECRETS_DIR);
      Files.createDirectories(secrets);
      AtomicFiles.setPermissions(secrets, AtomicFiles.PRIVATE_DIR);
      for (String folder : RenderPlan.mountedFolders(cfg)) {
        Files.createDirectories(out.resolve(folder));
      }
      for (FileChange c : changes) {
        Path file = out.resolve(c.path());
        switch (c.kind()) {
          case CREATE, UPDATE, EDITED -> {
            if (c.kind() == Kind.EDITED) {
              backups.add(backup(file));
            }
            Files.createDirectories(file.getParent());
            if (RenderedTree.isSecret(c.path()) && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              // a file secret is a bind mount of this one file: a rename would give it a new inode the running
              // container never sees, so a rotated password or renewed certificate is written into the same inode
              AtomicFiles.overwriteInPlace(file, c.after().getBytes(StandardCharsets.UTF_8));
            } else {
              Files.move(staging.resolve(c.path()), file, StandardCopyOption.ATOMIC_MOVE,
                  StandardCopyOption.REPLACE_EXISTING);
            }
            written.put(c.path(), Ledger.sha256(c.after()));
          }
          case UNCHANGED -> written.put(c.path(), Ledger.sha256(c.after()));
          case REMOVE -> {
            Files.delete(file);
            written.remove(c.path());
          }
          case KEEP_EDITED -> written.remove(c.path());
        }
      }
    } finally {
      deleteTree(staging);
      // Even after a failure the ledger must describe what is on disk, or the next render would see
      // files written here as edited by hand.
      if (!written.equals(ledger.files()) || !Files.exists(out.resolve(Ledger.FILE))) {
        new Ledger(written).write(out);
      }
    }
    RenderSummary summary = new RenderSummary(out, false, changes, backups, tree);
    for (FileChange c : changes) {
      if (c.kind() == Kind.KEEP_EDITED) {
        console.warn(rel(out.resolve(c.path())) + " is no longer generated but was edited by hand, so it was left in place");
      }
    }
    for (Path backup : backups) {
      console.info("overwrote a hand-edited file; its previous content is in " + rel(backup));
    }
    console.out("rendered " + rel(out) + "/: " + counts(summary));
    return summary;
  }

  private static final AtomicLong STAGINGS = new AtomicLong();

  /**
   * Writes every new file into a folder beside the output first, so that what can fail for want of space or
   * permission fails before the output changes; moving the files in afterwards is a rename each. On failure
   * the staging folder is removed and the output folder is as it was (or absent, on a first render).
   */
  private Path stage(Path out, List<FileChange> changes) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = parent.resolve("." + out.getFileName() + ".render-" + ProcessHandle.current().pid() + "-"
        + STAGINGS.incrementAndGet());
    try {
      Files.createDirectory(staging);
      Files.createDirectories(staging.resolve(RenderedTree.SECRETS_DIR));
      AtomicFiles.setPermissions(staging.resolve(RenderedTree.SECRETS_DIR), AtomicFiles.PRIVATE_DIR);
      for (FileChange c : changes) {
        if (c.kind() == Kind.CREATE || c.kind() == Kind.UPDATE || c.kind() == Kind.EDITED) {
          try {
            AtomicFiles.write(staging.resolve(c.path()), c.after().getBytes(StandardCharsets.UTF_8),
                AtomicFiles.READABLE);
          } catch (IOException e) {
            // Name the file the user knows, not its staging copy.
            FileSystemException named = new FileSystemException(out.resolve(c.path()).toString(), null,
                IoErrors.cause(e));
            named.initCause(e);
            throw named;
          }
        }
      }
      return staging;
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort: a leftover hidden staging folder is harmless and the next render uses a new name.
    }
  }

  /** {@code <file>.bak-<time>}, with -2, -3 ... when a backup of that second exists already. */
  private Path backup(Path file) throws IOException {
    String base = file.getFileName() + ".bak-" + backupStamp();
    for (int n = 1; ; n++) {
      Path backup = file.resolveSibling(n == 1 ? base : base + "-" + n);
      try {
        Files.copy(file, backup);
        return backup;
      } catch (FileAlreadyExistsException e) {
        // taken by a render earlier in the same second: try the next number
      }
    }
  }

  /** Built only when needed: date formatting costs start-up time every other render would pay. */
  private String backupStamp() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(ws.clock().instant());
  }

  private OperationFailedException editedFiles(Path out, List<FileChange> edited) {
    String files = edited.stream().map(c -> "  " + rel(out.resolve(c.path()))).collect(Collectors.joining("\n"));
    return new OperationFailedException(
        (edited.size() == 1 ? "1 generated file was" : edited.size() + " generated files were")
            + " edited by hand since the last render; nothing was written:\n" + files,
        "move your change into keiko.yml or a template override in templates/, then render again; "
            + "`keiko-mon render --dry-run` shows what would change, `keiko-mon render --force` overwrites "
            + "and keeps each edited file as <file>.bak-<time>");
  }

  private static String counts(RenderSummary s) {
    String text = s.count(Kind.CREATE) + " created, " + (s.count(Kind.UPDATE) + s.count(Kind.EDITED)) + " updated, "
        + s.count(Kind.UNCHANGED) + " unchanged";
    if (s.count(Kind.REMOVE) > 0) {
      text += ", " + s.count(Kind.REMOVE) + " removed";
    }
    return text;
  }

  private static String verb(Kind kind) {
    return switch (kind) {
      case CREATE -> "created";
      case REMOVE -> "removed";
      default -> "updated";
    };
  }

  /** Paths as the user typed them: relative to the project folder. */
  private String rel(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path base = ws.dir().toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }

  /**
   * The file's text, or null when there is none. A file that is too big or not UTF-8 cannot be what render
   * wrote: it reads as edited by hand (its bytes are kept in a backup by --force).
   */
  private static String readIfExists(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    TextFile.Content c = TextFile.read(file, file.getFileName().toString());
    return c.text().orElse("\u0000 unreadable: " + c.problem().map(Problem::message).orElse(""));
  }
}
