package io.keikomon.config;

import io.keikomon.core.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the secrets from the process environment and the {@code .env} next to keiko.yml; the environment wins. */
public final class SecretsResolver {
  private SecretsResolver() {}

  /** @throws ConfigException when .env has lines it cannot read (each with its line number) */
  public static Secrets resolve(Workspace ws) {
    EnvFile file = readEnvFile(ws);
    List<Problem> errors = file.problems().stream().filter(Problem::isError).toList();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new Secrets(lookup(ws, file, Secrets.GRAFANA_ADMIN_PASSWORD),
        lookup(ws, file, Secrets.ALERTMANAGER_SLACK_URL),
        lookup(ws, file, Secrets.POSTGRES_PASSWORD), lookup(ws, file, Secrets.REDIS_PASSWORD),
        lookup(ws, file, Secrets.GRAFANA_DB_PASSWORD));
  }

  /** One variable from the environment or .env (an empty value counts as unset). */
  public static Optional<String> lookup(Workspace ws, String key) {
    EnvFile file = readEnvFile(ws);
    List<Problem> errors = file.problems().stream().filter(Problem::isError).toList();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return lookup(ws, file, key);
  }

  /** An empty value counts as unset, as in Docker Compose's "${VAR:-default}". */
  static Optional<String> lookup(Workspace ws, EnvFile file, String key) {
    String env = ws.env().get(key);
    if (env != null && !env.isEmpty()) {
      return Optional.of(env);
    }
    return file.get(key).map(EnvFile.Entry::value).filter(v -> !v.isEmpty());
  }

  /** A warning for a Grafana admin password anyone would guess ("admin", or shorter than 12 characters). */
  static Optional<Problem> weakPasswordWarning(Workspace ws, EnvFile file) {
    String key = Secrets.GRAFANA_ADMIN_PASSWORD;
    Optional<String> password = lookup(ws, file, key);
    if (password.isEmpty() || (password.get().length() >= 12 && !password.get().equalsIgnoreCase("admin"))) {
      return Optional.empty();
    }
    boolean fromEnv = ws.env().get(key) != null && !ws.env().get(key).isEmpty();
    int line = fromEnv ? 0 : file.get(key).orElseThrow().line();
    return Optional.of(Problem.warning(fromEnv ? "environment" : file.label(), line, line == 0 ? 0 : 1, key,
        "the Grafana admin password is easy to guess",
        "use 12 or more random characters, or remove it and let keiko-mon render generate one"));
  }

  /** A warning when .env (which holds secrets) can be read by other users. */
  static Optional<Problem> exposureWarning(Workspace ws) {
    Path env = ws.envFile();
    if (!Files.exists(env) || Files.getFileAttributeView(env, PosixFileAttributeView.class) == null) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(env);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(Problem.warning(env.getFileName().toString(), 0, 0, "",
            "readable by other users (mode " + PosixFilePermissions.toString(perms) + ") although it holds secrets",
            "chmod 600 " + env.getFileName()));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static EnvFile readEnvFile(Workspace ws) {
    if (!Files.exists(ws.envFile())) {
      return EnvFile.empty();
    }
    String label = ws.envFile().getFileName().toString();
    TextFile.Content text = TextFile.read(ws.envFile(), label, EnvFile.MAX_BYTES);
    return text.problem().map(p -> EnvFile.unreadable(label, p)).orElseGet(() -> EnvFile.parse(text.text().get(), label));
  }
}
