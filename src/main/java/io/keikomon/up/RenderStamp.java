package io.keikomon.up;

import io.keikomon.core.AtomicFiles;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.Digests;
import io.keikomon.config.Secrets;
import io.keikomon.config.TextFile;
import io.keikomon.core.FileDigest;
import io.keikomon.core.Workspace;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fingerprint saved when a slow step of {@code up} last succeeded, so that it is skipped while nothing it
 * depends on changed. {@link #render}: everything a render reads (keiko.yml, .env, the secret and retention
 * variables, template overrides, keiko-mon's own jar, render's ledger); when it matches, the rendered folder is
 * known to be current without rendering in memory. {@link #validation}: the same plus every file of the
 * rendered folder; when it matches, these exact files already passed {@code validate}.
 */
public final class RenderStamp {
  private static final String STATE = ".keiko-mon/";

  /** Every variable a render reads from the environment (where it wins over .env). */
  private static final List<String> VARIABLES = Stream.concat(Stream.of(Secrets.GRAFANA_ADMIN_PASSWORD,
      Secrets.ALERTMANAGER_SLACK_URL, Secrets.POSTGRES_PASSWORD, Secrets.REDIS_PASSWORD, Secrets.GRAFANA_DB_PASSWORD,
      Secrets.PROMETHEUS_RETENTION), Secrets.ACCESS_PASSWORDS.stream()).toList();

  private final Workspace ws;
  private final Path outputDir;
  private final Path file;
  private final boolean withTree;
  private final int kept;

  private RenderStamp(Workspace ws, Path outputDir, String name, boolean withTree, int kept) {
    this.ws = ws;
    this.outputDir = outputDir;
    this.file = outputDir.resolve(STATE + name);
    this.withTree = withTree;
    this.kept = kept;
  }

  static RenderStamp render(Workspace ws, Path outputDir) {
    return new RenderStamp(ws, outputDir, "up-render-inputs.sha256", false, 1);
  }

  static RenderStamp validation(Workspace ws, Path outputDir) {
    return new RenderStamp(ws, outputDir, "up-validated.sha256", true, 10);
  }

  /** True when the current fingerprint is one of those saved (the last one, or the last ten validated). */
  boolean matches() {
    try {
      return Files.isRegularFile(file) && Files.readAllLines(file).contains(current());
    } catch (IOException e) {
      return false;
    }
  }

  /** Remembers the current fingerprint beside the last few (so that going back to a previous state is known). */
  void save() {
    try {
      List<String> known = new ArrayList<>(Files.isRegularFile(file) ? Files.readAllLines(file) : List.of());
      String now = current();
      known.remove(now);
      known.add(now);
      List<String> last = known.subList(Math.max(0, known.size() - kept), known.size());
      AtomicFiles.write(file, (String.join("\n", last) + "\n").getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
    } catch (IOException e) {
      throw FileAccessException.of("write", file, e);
    }
  }

  private String current() throws IOException {
    MessageDigest d = Digests.sha256();
    addFile(d, "keiko.yml", ws.configFile());
    addFile(d, ".env", ws.envFile());
    addFile(d, "ledger", outputDir.resolve(STATE + "ledger.json"));
    for (String v : VARIABLES) {
      d.update((v + "=" + ws.env().getOrDefault(v, "\u0000unset") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (Files.isDirectory(ws.templateOverrides())) {
      List<Path> templates;
      try (Stream<Path> walk = Files.walk(ws.templateOverrides())) {
        templates = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path t : templates) {
        addFile(d, "template " + ws.templateOverrides().relativize(t), t);
      }
    }
    if (withTree && Files.isDirectory(outputDir)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(outputDir)) {
        files = walk.filter(Files::isRegularFile).filter(f -> !outputDir.relativize(f).startsWith(".keiko-mon"))
            .sorted().toList();
      }
      for (Path f : files) {
        addFile(d, "output " + outputDir.relativize(f), f);
      }
    }
    d.update(("keiko-mon " + ownJar() + "\n").getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * A file's content, streamed; one bigger than validate reads (a stray backup, say) counts by size and time,
   * which is all validate can know of it and costs no read.
   */
  private static void addFile(MessageDigest d, String name, Path p) throws IOException {
    d.update((name + "\n").getBytes(StandardCharsets.UTF_8));
    if (!Files.isRegularFile(p)) {
      return;
    }
    long size = Files.size(p);
    if (size > TextFile.MAX_BYTES) {
      d.update(("size " + size + " modified " + Files.getLastModifiedTime(p).toMillis() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } else {
      FileDigest.update(d, p);
    }
  }

  /** Path, size and time of the code that renders: a new build may render differently. */
  private static String ownJar() {
    try {
      Path jar = Path.of(RenderStamp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException | URISyntaxException | SecurityException e) {
      return "unknown " + System.nanoTime();
    }
  }
}
