package io.keikomon.config;

import io.keikomon.config.KeikoConfig.Federation;
import io.keikomon.config.KeikoConfig.GrafanaDatabase;
import io.keikomon.config.KeikoConfig.Ha;
import io.keikomon.config.KeikoConfig.Mode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code mode}, {@code ha} and {@code federation}: how many of each run, on which engine, and who aggregates. */
final class HaMapper {
  private static final Set<String> MODES = ConfigMapper.keys("compose", "swarm");
  private static final Set<String> DB_KEYS = ConfigMapper.keys("host", "port", "database", "user", "sslmode");
  private static final Set<String> SSL_MODES = ConfigMapper.keys("disable", "require", "verify-ca", "verify-full");

  private final String userFile;

  HaMapper(String userFile) {
    this.userFile = userFile;
  }

  Mode mode(Section top) {
    String m = top.string("mode");
    if (MODES.contains(m)) {
      return Mode.valueOf(m.toUpperCase(Locale.ROOT));
    }
    if (!m.isEmpty()) {
      top.error("mode", "unknown mode \"" + m + "\"", DidYouMean.closest(m, MODES)
          .map(k -> "did you mean \"" + k + "\"?").orElse("compose (one host) or swarm (a Docker Swarm)"));
    }
    return Mode.COMPOSE;
  }

  Ha ha(Section top, Mode mode, KeikoConfig.Components components) {
    Section s = top.section("ha", ConfigMapper.keys("prometheus", "alertmanager", "grafana"));
    int prometheus = replicas(s.section("prometheus", ConfigMapper.keys("replicas")), 1);
    int alertmanager = replicas(s.section("alertmanager", ConfigMapper.keys("replicas")), 1);
    Section g = s.section("grafana", ConfigMapper.keys("replicas", "database"));
    int grafana = replicas(g, 1);
    GrafanaDatabase db = database(g);
    if (mode == Mode.SWARM && components.grafana() && grafana > 1 && db == null) {
      // at the user's own line: the replica count, or `mode: swarm` when the count is the default
      boolean own = YamlTree.isFromFile(g.value("replicas"), userFile);
      (own ? g : top).error(own ? "replicas" : "mode", grafana + " Grafana replicas need a shared database, and ha.grafana.database names none",
          "set ha.grafana.database (host, database, user; GRAFANA_DB_PASSWORD in the environment or .env),"
              + " or run one replica: ha.grafana.replicas: 1");
    }
    if (mode == Mode.SWARM && components.alertmanager() && alertmanager == 2) {
      s.section("alertmanager", ConfigMapper.keys("replicas")).warning("replicas",
          "2 Alertmanager replicas survive no more failures than 1 does against split notifications",
          "use 3 (a lost replica leaves 2 that still agree), or 1");
    }
    return new Ha(prometheus, alertmanager, grafana, db);
  }

  /** A replica count in 1-9; {@code fallback} after a reported problem. */
  private static int replicas(Section s, int fallback) {
    long v = s.integer("replicas");
    if (v == Long.MIN_VALUE) {
      return fallback;
    }
    if (v < 1 || v > 9) {
      s.error("replicas", "replicas " + v + " is out of range 1-9", "e.g. 2 for Prometheus, 3 for Alertmanager");
      return fallback;
    }
    return (int) v;
  }

  /** Null when the key is null or absent: no shared database. */
  private static GrafanaDatabase database(Section g) {
    if (!g.has("database") || YamlTree.isNull(g.value("database"))) {
      return null;
    }
    Section d = new Section(g.problems(), g.value("database"), g.pathOf("database"), DB_KEYS);
    String host = d.string("host");
    if (!host.isEmpty() && !Syntax.isHost(host)) {
      d.error("host", "\"" + host + "\" is not a host name", "only the host goes here; the port has its own key");
    }
    int port = d.has("port") ? ConfigMapper.port(d, "port") : 5432;
    String database = d.string("database");
    String user = d.string("user");
    String sslmode = d.optionalString("sslmode", "disable");
    if (!SSL_MODES.contains(sslmode)) {
      d.error("sslmode", "unknown sslmode \"" + sslmode + "\"", "one of " + String.join(", ", SSL_MODES));
    }
    return new GrafanaDatabase(host, port, database, user, sslmode);
  }

  Federation federation(Section s) {
    List<String> targets = s.items("targets").isEmpty() ? List.of() : ConfigMapper.targets(s, "targets");
    List<String> match = s.items("match").isEmpty() ? List.of() : s.strings("match");
    if (!targets.isEmpty() && match.isEmpty()) {
      s.error("match", "federation needs at least one series selector",
          "e.g. ['{__name__=~\"job:.*\"}'] (the job-level recording rules of every stack)");
    }
    for (int i = 0; i < match.size(); i++) {
      if (!match.get(i).contains("{")) {
        s.itemError("match", i, "\"" + match.get(i) + "\" is not a series selector", "e.g. '{__name__=~\"job:.*\"}'");
      }
    }
    return new Federation(targets, match);
  }
}
