package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.core.crypto.LocalCa;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A secret handed to a container as a file under {@code /run/secrets/} (Compose file-based secret), so it
 * never shows in {@code docker inspect}. Rendered to {@code secrets/<name>} in the output folder.
 */
public record SecretFile(String name, String content) {
  public static final String GRAFANA_ADMIN_PASSWORD = "grafana_admin_password";
  public static final String SLACK_WEBHOOK_URL = "slack_webhook_url";
  public static final String POSTGRES_PASSWORD = "postgres_password";
  /** redis_exporter's password file is a JSON map from Redis URI to password, not a bare password. */
  public static final String REDIS_PASSWORDS = "redis_passwords.json";
  /** Swarm mode: the password of Grafana's shared PostgreSQL database (GF_DATABASE_PASSWORD__FILE). */
  public static final String GRAFANA_DB_PASSWORD = "grafana_db_password";

  /** Path in the output folder. */
  public String file() {
    return RenderedTree.SECRETS_DIR + name;
  }

  /** Path inside the containers that use it. */
  public String mountPath() {
    return "/run/secrets/" + name;
  }

  /** The secrets {@code cfg} needs; a secret that is not set gives no file (and no setting using it). */
  static List<SecretFile> forConfig(KeikoConfig cfg, Secrets secrets, SecurityMaterial security) {
    List<SecretFile> files = new ArrayList<>();
    for (ProtectedEndpoint p : SecurityMaterial.enabled(cfg)) {
      if (security.passwords().containsKey(p)) {
        files.add(new SecretFile(p.passwordFile(), security.passwords().get(p)));
        files.add(new SecretFile(p.authHeaderFile(), security.authHeader(p)));
      }
    }
    security.pki().ifPresent(pki -> {
      files.add(new SecretFile(ProtectedEndpoint.CA_FILE, pki.caPem()));
      for (ProtectedEndpoint p : SecurityMaterial.enabled(cfg)) {
        LocalCa.Issued issued = pki.servers().get(p.component().service());
        if (issued == null) {
          throw new IllegalArgumentException("no certificate for " + p.component().service() + " was prepared");
        }
        files.add(new SecretFile(p.certificateFile(), issued.certificatePem()));
        files.add(new SecretFile(p.keyFile(), issued.keyPem()));
      }
    });
    if (cfg.components().grafana()) {
      String password = secrets.grafanaAdminPassword().orElse(null);
      if (password == null || password.isBlank()) {
        throw new IllegalArgumentException("the Grafana admin password must be resolved before rendering "
            + "(RenderService keeps a generated one in " + RenderedTree.SECRETS_DIR + GRAFANA_ADMIN_PASSWORD + ")");
      }
      files.add(new SecretFile(GRAFANA_ADMIN_PASSWORD, password));
    }
    if (cfg.swarm() && cfg.components().grafana() && cfg.ha().grafanaDatabase() != null) {
      present(secrets.grafanaDbPassword()).ifPresent(pw -> files.add(new SecretFile(GRAFANA_DB_PASSWORD, pw)));
    }
    if (cfg.components().alertmanager()) {
      present(secrets.slackWebhookUrl()).ifPresent(url -> files.add(new SecretFile(SLACK_WEBHOOK_URL, url)));
    }
    if (cfg.postgres().enabled()) {
      present(secrets.postgresPassword()).ifPresent(pw -> files.add(new SecretFile(POSTGRES_PASSWORD, pw)));
    }
    if (cfg.redis().enabled()) {
      present(secrets.redisPassword()).ifPresent(pw -> files.add(new SecretFile(REDIS_PASSWORDS,
          "{" + json(redisUri(cfg.redis())) + ": " + json(pw) + "}\n")));
    }
    return files;
  }

  /** The Redis address as the exporter's REDIS_ADDR (and key of its password file). */
  static String redisUri(KeikoConfig.Redis redis) {
    String address = redis.address().strip();
    return address.startsWith("redis://") || address.startsWith("rediss://") ? address : "redis://" + address;
  }

  private static Optional<String> present(Optional<String> value) {
    return value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
