package io.keikomon.docker;

import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fingerprint of everything a render reads (keiko.yml, .env, the secret and retention variables, template
 * overrides, keiko-mon's own jar, and render's ledger), saved when {@code up} last found the rendered folder
 * current. When it still matches, {@code up} skips rendering in memory to compare: the no-op {@code up} must be
 * fast.
 */
final class RenderStamp {
  static final String FILE = ".keiko-mon/up-render-inputs.sha256";
  private static final List<String> VARIABLES = List.of(Secrets.GRAFANA_ADMIN_PASSWORD,
      Secrets.ALERTMANAGER_SLACK_URL, Secrets.POSTGRES_PASSWORD, Secrets.REDIS_PASSWORD, Secrets.PROMETHEUS_RETENTION);

  private final Workspace ws;
  private final Path file;

  RenderStamp(Workspace ws, Path outputDir) {
    this.ws = ws;
    this.file = outputDir.resolve(FILE);
  }

  boolean matches() {
    try {
      return Files.isRegularFile(file) && Files.readString(file).strip().equals(current());
    } catch (IOException e) {
      return false;
    }
  }

  void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, current() + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private String current() throws IOException {
    MessageDigest d = sha256();
    addFile(d, "keiko.yml", ws.configFile());
    addFile(d, ".env", ws.envFile());
    addFile(d, "ledger", file.getParent().resolve("ledger.json"));
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
    d.update(("keiko-mon " + ownJar() + "\n").getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  private static void addFile(MessageDigest d, String name, Path p) throws IOException {
    d.update((name + "\n").getBytes(StandardCharsets.UTF_8));
    if (Files.isRegularFile(p)) {
      d.update(Files.readAllBytes(p));
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
