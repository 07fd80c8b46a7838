package io.keikomon.init;


import io.keikomon.config.ConfigLoader;
import io.keikomon.config.EnvFile;
import io.keikomon.config.Passwords;
import io.keikomon.config.TextFile;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.IoErrors;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keiko-mon init}: writes the annotated keiko.yml (every default visible, commented) and a
 * {@code .env} (mode 0600) with a generated Grafana admin password. Never overwrites either without
 * {@code force}; with it, the old files are kept as timestamped backups and the values of the old
 * .env carry over (the running Grafana keeps the admin password it was first started with).
 */
public final class InitService {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * What init did: files written, backups kept (paths inside the workspace), and the names of the
   * variables carried over from a previous .env.
   */
  public record Result(List<Path> written, List<Path> backups, List<String> keptVariables) {
    public Result {
      written = List.copyOf(written);
      backups = List.copyOf(backups);
      keptVariables = List.copyOf(keptVariables);
    }
  }

  private final Workspace ws;

  public InitService(Workspace ws) {
    this.ws = ws;
  }

  public Result init(boolean force) {
    Path config = ws.configFile();
    Path env = ws.envFile();
    List<Path> existing = Files.exists(config) ? new ArrayList<>(List.of(config)) : new ArrayList<>();
    if (Files.exists(env)) {
      existing.add(env);
    }
    if (!existing.isEmpty() && !force) {
      throw new OperationFailedException(names(existing) + (existing.size() == 1 ? " already exists" : " already exist")
          + " in " + ws.dir() + "; nothing was written",
          "run `keiko-mon init --force` to replace " + (existing.size() == 1 ? "it" : "them")
              + " (a backup copy of each is kept)");
    }
    try {
      // Read before anything is replaced; secrets the stack already uses must survive --force.
      EnvFile previous = Files.exists(env) ? EnvFile.parse(TextFile.require(TextFile.read(env, ".env")), ".env") : EnvFile.empty();
      List<Path> backups = new ArrayList<>();
      for (Path p : existing) {
        backups.add(backup(p));
      }
      AtomicFiles.write(config, ConfigLoader.defaultText().getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
      AtomicFiles.write(env, DotEnvText.render(Passwords::generate, previous).getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
      return new Result(List.of(config, env), backups, DotEnvText.carried(previous));
    } catch (IOException e) {
      throw new OperationFailedException("cannot write in " + ws.dir() + ": " + IoErrors.cause(e),
          IoErrors.hint(e, "check that the folder exists and is writable"), e);
    }
  }

  private static String names(List<Path> paths) {
    return String.join(" and ", paths.stream().map(p -> p.getFileName().toString()).toList());
  }

  /** Copies {@code p} to {@code <name>.bak-<UTC timestamp>}, keeping its permissions (a .env stays 0600). */
  private Path backup(Path p) throws IOException {
    String base = p.getFileName() + ".bak-" + STAMP.format(ws.clock().instant());
    Path target = p.resolveSibling(base);
    for (int n = 2; Files.exists(target); n++) {
      target = p.resolveSibling(base + "-" + n);
    }
    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
    return target;
  }
}
